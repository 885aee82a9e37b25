using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Cli.Tasks;

/// <summary>What <see cref="SuperResolutionTask"/> does.</summary>
/// <param name="Model">Network and training hyperparameters.</param>
/// <param name="Scale">Output size as a multiple of the input size (any value &gt; 0; 4 = 4× zero-shot when trained at 2×).</param>
/// <param name="TrainScale">Integer factor of the rendered training grid: the network renders the input frame at this
/// factor and the forward model area-averages it back to the input grid (default 2, as the paper).</param>
public sealed record SuperResolutionOptions(InrOptions Model, double Scale = 4, int TrainScale = 2)
{
    /// <summary>ω0 of SIREN and FINER for super-resolution. The 2× grid has four unknowns per observed pixel; a high ω0
    /// fills them with high frequencies. Measured (64×64 area-downscaled TestScene, 4× against the 256×256 render,
    /// I-SIREN, 300 iterations; bicubic 16.89 dB): ω0 = 5 → 15.66, 10 → 16.83, 15 → 17.00, 20 → 16.89, 30 → 15.46 dB.</summary>
    public const double DefaultOmega0 = 15;

    /// <summary>The super-resolution default of ω0 where <paramref name="model"/> leaves it unset (SIREN and FINER);
    /// values set by the caller are kept. The CLI and the benchmark both start from this.</summary>
    public static InrOptions WithTaskDefaults(InrOptions model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Omega0 is null && model.Backbone is BackboneKind.Siren or BackboneKind.Finer
            ? model with { Omega0 = DefaultOmega0 }
            : model;
    }
}

/// <summary>The outcome of <see cref="SuperResolutionTask"/>. Owns the fitted model: dispose it.</summary>
public sealed class SuperResolutionResult : TaskResult
{
    internal SuperResolutionResult(InrModel model, ImageFrame frame, SignalImage output, SignalImage bicubic, double trainPsnr,
        double? psnr, double? ssim, double? bicubicPsnr, double? bicubicSsim, double trainSeconds, double inferSeconds, IReadOnlyList<CurvePoint> curve)
        : base(model, trainSeconds, inferSeconds, curve)
    {
        Frame = frame; Output = output; Bicubic = bicubic; TrainPsnr = trainPsnr; Psnr = psnr; Ssim = ssim;
        BicubicPsnr = bicubicPsnr; BicubicSsim = bicubicSsim;
    }

    /// <summary>The input image's frame.</summary>
    public ImageFrame Frame { get; }
    /// <summary>The model rendered at the output size (raw values).</summary>
    public SignalImage Output { get; }
    /// <summary>Bicubic upsampling of the input to the output size, the baseline.</summary>
    public SignalImage Bicubic { get; }
    /// <summary>PSNR in dB of the output, area-averaged back to the input grid, against the input (data consistency).</summary>
    public double TrainPsnr { get; }
    /// <summary>PSNR against the reference (output clamped to [0, 1]); null without a reference.</summary>
    public double? Psnr { get; }
    /// <summary>SSIM against the reference; null without a reference (NaN below 11×11).</summary>
    public double? Ssim { get; }
    /// <summary>PSNR of bicubic upsampling against the reference; null without a reference.</summary>
    public double? BicubicPsnr { get; }
    /// <summary>SSIM of bicubic upsampling against the reference; null without a reference.</summary>
    public double? BicubicSsim { get; }
}

/// <summary>
/// Super-resolution through a forward model: the network renders the input's frame on the
/// TrainScale× grid, <see cref="AveragePoolOperator"/> area-averages that back to the input grid and the loss
/// compares it with the input. The fitted model is then rendered at Scale× (any scale, zero-shot beyond the
/// training scale).
/// </summary>
public static class SuperResolutionTask
{
    /// <summary>Super-resolves <paramref name="lowResolution"/>; with <paramref name="reference"/> (the true image at the
    /// output size) it also measures the output and bicubic upsampling.</summary>
    public static SuperResolutionResult Run(SignalImage lowResolution, SuperResolutionOptions options, SignalImage? reference = null,
        ITaskProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lowResolution);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainScale < 1 || options.TrainScale > 16)
            throw new ArgumentOutOfRangeException(nameof(options), options.TrainScale, $"The training scale must be an integer from 1 to 16; got {options.TrainScale}.");
        var frame = ImageFrame.Of(lowResolution);
        var (outW, outH) = frame.Scaled(options.Scale);
        if ((long)outW * outH > 64L * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(options), options.Scale, $"Scale {options.Scale} gives a {outW}×{outH} output, more than 64 megapixels.");
        if (reference is not null && (reference.Width != outW || reference.Height != outH || reference.Channels != lowResolution.Channels))
            throw new ArgumentException($"The reference is {reference.Shape} but the output is {outW}×{outH}×{lowResolution.Channels} " +
                $"({lowResolution.Width}×{lowResolution.Height} at {options.Scale}×): they must match.", nameof(reference));

        int s = options.TrainScale;
        var op = new AveragePoolOperator(lowResolution.Width, lowResolution.Height, s);
        var data = new TrainingSet(frame.Coordinates(lowResolution.Width * s, lowResolution.Height * s), 2, lowResolution.Data, lowResolution.Channels);
        var (model, curve, trainSeconds) = Training.Fit(data, options.Model, op, progress, "superres", cancellationToken);
        try
        {
            var (output, inferSeconds) = ImageInr.Render(model, frame, outW, outH);
            var (rendered, _) = ImageInr.Render(model, frame, lowResolution.Width * s, lowResolution.Height * s);
            double trainPsnr = ImageMetrics.Psnr(Resampling.DownscaleArea(rendered, s), lowResolution);
            var bicubic = Resampling.ResizeBicubic(lowResolution, outW, outH);
            double? psnr = null, ssim = null, bPsnr = null, bSsim = null;
            if (reference is not null)
            {
                psnr = ImageInr.Psnr(output, reference); ssim = ImageInr.Ssim(output, reference);
                bPsnr = ImageInr.Psnr(bicubic, reference); bSsim = ImageInr.Ssim(bicubic, reference);
            }
            return new SuperResolutionResult(model, frame, output, bicubic, trainPsnr, psnr, ssim, bPsnr, bSsim, trainSeconds, inferSeconds, curve);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
