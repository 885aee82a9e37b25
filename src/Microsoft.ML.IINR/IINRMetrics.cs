using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.Data;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Reconstruction quality: mean squared error, PSNR and, for images, SSIM. The math is
/// <see cref="ImageMetrics"/>'s (SSIM: Gaussian window σ = 1.5, 11×11, as Wang et al. 2004 and
/// scikit-image); values are compared as given, with a data range of 1.
/// </summary>
public sealed class IINRMetrics
{
    private IINRMetrics(double meanSquaredError, double psnr, double? ssim, long count)
    {
        MeanSquaredError = meanSquaredError;
        Psnr = psnr;
        Ssim = ssim;
        Count = count;
    }

    /// <summary>Mean squared error over all values (rows × channels).</summary>
    public double MeanSquaredError { get; }

    /// <summary>Peak signal-to-noise ratio in dB, 10·log10(1 / MSE); +∞ for a perfect reconstruction.</summary>
    public double Psnr { get; }

    /// <summary>Mean SSIM averaged over channels; null unless the values form an image of at least 11×11 pixels.</summary>
    public double? Ssim { get; }

    /// <summary>Rows (pixels) compared.</summary>
    public long Count { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        FormattableString.Invariant($"MSE {MeanSquaredError:G4}, PSNR {Psnr:F2} dB, SSIM {(Ssim is double s ? s.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a")} ({Count} rows)");

    /// <summary>Compares two images of the same size and channel count.</summary>
    /// <param name="reference">The ground truth.</param>
    /// <param name="reconstruction">The image to judge.</param>
    /// <exception cref="ArgumentException">The shapes differ; the message names both.</exception>
    public static IINRMetrics FromImages(SignalImage reference, SignalImage reconstruction)
    {
        SignalImage.EnsureSameShape(reference, reconstruction, nameof(reconstruction));
        double? ssim = reference.Width >= ImageMetrics.SsimWindowSize && reference.Height >= ImageMetrics.SsimWindowSize
            ? ImageMetrics.Ssim(reference, reconstruction) : null;
        return new IINRMetrics(ImageMetrics.Mse(reference, reconstruction), ImageMetrics.Psnr(reference, reconstruction), ssim,
            (long)reference.Width * reference.Height);
    }

    /// <summary>Compares two 8-bit images of the same size on their RGB values in [0, 1] (alpha is ignored).</summary>
    /// <param name="reference">The ground truth.</param>
    /// <param name="reconstruction">The image to judge.</param>
    public static IINRMetrics FromImages(MLImage reference, MLImage reconstruction) =>
        FromImages(reference.ToSignalImage(), reconstruction.ToSignalImage());

    /// <summary>
    /// Compares the signal and reconstruction columns of a scored data view (e.g. the output of
    /// <see cref="IINRTransformer.Transform"/>), both <c>Vector&lt;Single, C&gt;</c>. When the signal
    /// (or reconstruction) column carries the image size annotations of <c>LoadFromImage</c>
    /// (<see cref="IINRAnnotations"/>) and the view has exactly width × height rows, the rows are
    /// taken as that image in row-major order and SSIM is computed too; otherwise <see cref="Ssim"/> is null.
    /// </summary>
    /// <param name="data">The scored data.</param>
    /// <param name="signalColumnName">The reference signal column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The view has no rows or holds a non-finite value.</exception>
    public static IINRMetrics FromDataView(IDataView data, string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction")
    {
        ArgumentNullException.ThrowIfNull(data);
        var signal = ColumnRequirements.SingleVector(data.Schema, signalColumnName, 1, TrainingSet.MaxChannels);
        int c = signal.Size;
        var reconstruction = ColumnRequirements.SingleVector(data.Schema, reconstructionColumnName, c, c,
            $"the signal column '{signalColumnName}' has {c} values per row");
        var values = VectorColumnReader.Read(data, signal, reconstruction);
        int rows = values[0].Length / c;
        if (rows == 0)
            throw new InvalidOperationException("The data view has no rows to evaluate.");

        var size = IINRAnnotations.ReadImageSize(signal.Column) ?? IINRAnnotations.ReadImageSize(reconstruction.Column);
        // Not an image: the rows as a 1-pixel-high strip, too low for an SSIM window.
        var (w, h) = size is { } s && (long)s.Width * s.Height == rows ? (s.Width, s.Height) : (rows, 1);
        return FromImages(new SignalImage(w, h, c, values[0]), new SignalImage(w, h, c, values[1]));
    }
}
