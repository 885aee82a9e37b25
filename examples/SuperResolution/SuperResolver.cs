using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace SuperResolution;

/// <summary>
/// Upscales images with an iterative implicit neural representation, as a preprocessing step an
/// application can embed: each call fits a small I-SIREN to the one low-resolution image through the
/// 2× forward model (it renders the image at 2× and is trained so that the 2×2 averages match the
/// observed pixels), then renders it at the requested scale. No model outlives a call.
/// </summary>
public sealed class SuperResolver
{
    /// <summary>SIREN's ω0 for super-resolution (the CLI's SuperResolutionOptions.DefaultOmega0, measured best).</summary>
    public const double Omega0 = 15;

    private readonly MLContext _ml = new(seed: 0);
    private readonly IINROptions _options;

    /// <param name="iterations">Training iterations per image.</param>
    /// <param name="hiddenSize">Width of the network's hidden layers.</param>
    /// <param name="seed">Seed of the weights and of training; equal seeds give equal results.</param>
    public SuperResolver(int iterations = 300, int hiddenSize = 256, int seed = 0) => _options = new IINROptions
    {
        TrainingScale = 2, Omega0 = Omega0, Iterations = iterations, HiddenSize = hiddenSize, Seed = seed,
    };

    /// <summary>Upscales the image file (PNG, JPEG or BMP) by <paramref name="scale"/>; the caller disposes the result.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public MLImage Upscale(string path, int scale) => Upscale(_ml.Data.LoadFromImage(path), scale);

    /// <summary>Upscales <paramref name="image"/> by <paramref name="scale"/>; the caller disposes the result.</summary>
    public MLImage Upscale(MLImage image, int scale) => Upscale(_ml.Data.LoadFromImage(image), scale);

    private MLImage Upscale(IDataView lowResolution, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        using var model = _ml.Transforms.IINR.Fit(lowResolution, _options);
        return model.RenderImage((double)scale);   // the fitted frame on a scale× finer grid
    }
}
