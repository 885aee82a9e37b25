using IINR.Signals;

namespace Microsoft.ML.IINR;

/// <summary>The result of one source of <see cref="IINRImageTransformer.Process{TSource}"/>: the output, or why there is none.</summary>
/// <typeparam name="TSource">What the caller identifies an image by (a path, a key).</typeparam>
public sealed class IINRImageOutcome<TSource>
{
    internal IINRImageOutcome(TSource source, long index) { Source = source; Index = index; }

    /// <summary>The source, as given.</summary>
    public TSource Source { get; }

    /// <summary>Its position among the sources, from 0.</summary>
    public long Index { get; }

    /// <summary>The loaded input image; null when loading failed.</summary>
    public SignalImage? Input { get; internal set; }

    /// <summary>The output image (raw values, not clamped; an 8-bit file clips them); null when <see cref="Error"/> is set.</summary>
    public SignalImage? Output { get; internal set; }

    /// <summary>PSNR in dB of the fit on the observed pixels (<see cref="IINRImageResult.ObservationPsnr"/>).</summary>
    public double ObservationPsnr { get; internal set; } = double.NaN;

    /// <summary>Inference steps the output was rendered with (chosen per image by automatic denoising).</summary>
    public int Steps { get; internal set; }

    /// <summary>Wall time of loading the input (the caller's load function), in seconds.</summary>
    public double LoadSeconds { get; internal set; }

    /// <summary>Wall time of fitting, in seconds (<see cref="IINRImageResult.TrainSeconds"/>).</summary>
    public double TrainSeconds { get; internal set; }

    /// <summary>Wall time of rendering the output, in seconds (<see cref="IINRImageResult.RenderSeconds"/>).</summary>
    public double RenderSeconds { get; internal set; }

    /// <summary>Why this source has no output: the load function's exception, or the fit's. Null on success.</summary>
    public Exception? Error { get; internal set; }
}
