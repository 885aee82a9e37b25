using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace SuperResolution;

/// <summary>
/// Upscales images with an iterative implicit neural representation, as a preprocessing step an
/// application can embed: each call runs the library's super-resolution task
/// (<c>mlContext.Transforms.IINR.SuperResolve</c>), which fits a small I-SIREN to the one low-resolution
/// image through the 2× forward model (it renders the image at 2× and is trained so that the 2×2 averages
/// match the observed pixels) and renders it at the requested scale. No model outlives a call.
/// </summary>
public sealed class SuperResolver
{
    private readonly MLContext _ml = new(seed: 0);
    private readonly IINROptions _options = IINROptions.ForSuperResolution();   // the task preset: ω0 and training scale

    /// <param name="iterations">Training iterations per image.</param>
    /// <param name="hiddenSize">Width of the network's hidden layers.</param>
    /// <param name="seed">Seed of the weights and of training; equal seeds give equal results.</param>
    public SuperResolver(int iterations = 300, int hiddenSize = 256, int seed = 0) =>
        _options.Model = _options.Model with { Iterations = iterations, HiddenSize = hiddenSize, Seed = seed };

    /// <summary>Upscales the image file (PNG, JPEG or BMP) by <paramref name="scale"/>; the caller disposes the result.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public MLImage Upscale(string path, int scale) => Upscale(ImageFile.Load(path), scale);

    /// <summary>Upscales <paramref name="image"/> by <paramref name="scale"/>; the caller disposes the result.</summary>
    public MLImage Upscale(MLImage image, int scale) => Upscale(image.ToSignalImage(), scale);

    private MLImage Upscale(SignalImage lowResolution, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        using var result = _ml.Transforms.IINR.SuperResolve(lowResolution, scale, _options);
        return result.Image.ToMLImage();
    }
}
