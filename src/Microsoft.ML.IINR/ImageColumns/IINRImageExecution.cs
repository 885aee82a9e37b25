namespace Microsoft.ML.IINR;

/// <summary>The single-image task an image-column step runs on every row.</summary>
public enum IINRImageTask
{
    /// <summary><see cref="IINRCatalog.SuperResolve"/>: fit through the area-average forward model, render at a scale.</summary>
    SuperResolution,

    /// <summary><see cref="IINRCatalog.Denoise"/>: fit the noisy image, render it at its size.</summary>
    Denoising,
}

/// <summary>
/// How an image-column step (<see cref="IINRCatalog.SuperResolveImages"/>, <see cref="IINRCatalog.DenoiseImages"/>) runs on
/// this machine: how many rows it fits at once, where it reports progress, and when it stops. None of it changes a
/// row's pixels, and none of it is saved with the model (<see cref="IINRImageTransformer.WithExecution"/> sets it on a
/// loaded one).
/// </summary>
public sealed class IINRImageExecution
{
    /// <summary>
    /// Rows fitted at the same time by <see cref="IINRImageTransformer.Transform"/>'s cursors and
    /// <see cref="IINRImageTransformer.Process{TSource}"/>, each on its own thread with the step's fixed libtorch thread
    /// count (<see cref="IINRImageTransformer.ThreadsPerFit"/>). 0 (the default) = the processor count divided by
    /// the threads per fit, at least 1. With 1, a row is fitted when its output is read; with more, cursors read and
    /// fit up to twice as many rows ahead of the one being read.
    /// </summary>
    public int ConcurrentFits { get; set; }

    /// <summary>Receives a report when a row is done (rows done, the row, its sizes, its PSNR on the observations,
    /// seconds), from the thread that fitted it. Default null. The MLContext's log receives the same as a line (Info).</summary>
    public IProgress<IINRImageProgress>? Progress { get; set; }

    /// <summary>Stops the fits in progress between iterations (the cursor or <see cref="IINRImageTransformer.Process{TSource}"/>
    /// then throws <see cref="OperationCanceledException"/>), as cancelling the MLContext's execution does. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>A copy.</summary>
    internal IINRImageExecution Clone() => (IINRImageExecution)MemberwiseClone();

    /// <summary>Checks <see cref="ConcurrentFits"/>.</summary>
    internal void Validate()
    {
        if (ConcurrentFits is < 0 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(ConcurrentFits), ConcurrentFits, $"ConcurrentFits must be between 0 (automatic) and 1024; got {ConcurrentFits}.");
    }
}

/// <summary>One row of an image-column step done.</summary>
/// <param name="RowsDone">Rows finished so far by this cursor (or <see cref="IINRImageTransformer.Process{TSource}"/> call), this one included.</param>
/// <param name="Row">The row's position in its cursor (or the index of the source in <see cref="IINRImageTransformer.Process{TSource}"/>).</param>
/// <param name="InputWidth">Input width in pixels.</param>
/// <param name="InputHeight">Input height in pixels.</param>
/// <param name="OutputWidth">Output width in pixels.</param>
/// <param name="OutputHeight">Output height in pixels.</param>
/// <param name="ObservationPsnr">PSNR in dB of the fit on the observed pixels (<see cref="IINRImageResult.ObservationPsnr"/>).</param>
/// <param name="Seconds">Wall time of the row's fit and render.</param>
public readonly record struct IINRImageProgress(long RowsDone, long Row, int InputWidth, int InputHeight, int OutputWidth, int OutputHeight,
    double ObservationPsnr, double Seconds);
