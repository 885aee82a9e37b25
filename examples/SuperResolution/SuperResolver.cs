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
    private readonly int? _iterations, _hiddenSize;
    private readonly int _seed;

    /// <param name="iterations">Training iterations per image; null = the task preset's.</param>
    /// <param name="hiddenSize">Width of the network's hidden layers; null = the task preset's for the image's size.</param>
    /// <param name="seed">Seed of the weights and of training; equal seeds give equal results.</param>
    public SuperResolver(int? iterations = null, int? hiddenSize = null, int seed = 0)
    {
        _iterations = iterations; _hiddenSize = hiddenSize; _seed = seed;
    }

    /// <summary>Upscales the image file (PNG, JPEG or BMP) by <paramref name="scale"/>; the caller disposes the result.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public MLImage Upscale(string path, int scale) => Upscale(ImageFile.Load(path), scale);

    /// <summary>Upscales <paramref name="image"/> by <paramref name="scale"/>; the caller disposes the result.</summary>
    public MLImage Upscale(MLImage image, int scale) => Upscale(image.ToSignalImage(), scale);

    private MLImage Upscale(SignalImage lowResolution, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        // The task preset for this image: network sized to its pixels, ω0, iterations and training scale.
        var options = IINROptions.ForSuperResolution(lowResolution);
        options.Model = options.Model with
        {
            Iterations = _iterations ?? options.Model.Iterations,
            HiddenSize = _hiddenSize ?? options.Model.HiddenSize,
            Seed = _seed,
        };
        using var result = _ml.Transforms.IINR.SuperResolve(lowResolution, scale, options);
        return result.Image.ToMLImage();
    }
}
