using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.IINR;

namespace IINR.Cli.Tasks;

/// <summary>What <see cref="FitTask"/> does.</summary>
/// <param name="Model">Every hyperparameter of the network and its training.</param>
/// <param name="Label">A name for the training phase in progress displays.</param>
public sealed record FitTaskOptions(InrOptions Model, string Label = "fit");

/// <summary>The outcome of <see cref="FitTask"/>. Owns the fitted model: dispose it.</summary>
public sealed class FitResult : TaskResult
{
    internal FitResult(InrModel model, ImageFrame frame, SignalImage reconstruction, double psnr, double ssim,
        double trainSeconds, double inferSeconds, IReadOnlyList<CurvePoint> curve)
        : base(model, trainSeconds, inferSeconds, curve)
    {
        Frame = frame; Reconstruction = reconstruction; Psnr = psnr; Ssim = ssim;
    }

    /// <summary>The frame the model was fitted in (for saving and rendering).</summary>
    public ImageFrame Frame { get; }
    /// <summary>The model rendered on the input grid with the trained number of steps (raw values).</summary>
    public SignalImage Reconstruction { get; }
    /// <summary>PSNR in dB of the reconstruction (clamped to [0, 1]) against the input.</summary>
    public double Psnr { get; }
    /// <summary>SSIM of the reconstruction (clamped to [0, 1]) against the input; NaN below 11×11 pixels.</summary>
    public double Ssim { get; }
}

/// <summary>Image fitting: fits an (iterative) INR to an image on its pixel grid and measures the reconstruction.</summary>
public static class FitTask
{
    /// <summary>Fits <paramref name="image"/>.</summary>
    public static FitResult Run(SignalImage image, FitTaskOptions options, ITaskProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var (model, curve, trainSeconds) = Training.Fit(ImageInr.TrainingSet(image), options.Model, null, progress, options.Label, cancellationToken);
        try
        {
            var frame = ImageFrame.Of(image);
            var (recon, inferSeconds) = ImageInr.Render(model, frame, image.Width, image.Height);
            return new FitResult(model, frame, recon, ImageInr.Psnr(recon, image), ImageInr.Ssim(recon, image), trainSeconds, inferSeconds, curve);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
