using System.Collections.Concurrent;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace UpscaleService;

/// <summary>
/// Upscales one image per call with the SuperResolveImages pipeline step: one fitted step per scale (fitting the
/// step checks the schema and fits nothing), and per call a <see cref="PredictionEngine{TSrc, TDst}"/> over that step
/// with the call's cancellation token, so a disconnected client stops its fit between iterations. Thread-safe.
/// </summary>
public sealed class Upscaler
{
    private readonly MLContext _ml = new(seed: 0);
    private readonly IINROptions _options = IINROptions.ForSuperResolution();
    private readonly ConcurrentDictionary<int, Lazy<IINRImageTransformer>> _steps = new();
    private readonly Lock _engineLock = new();

    /// <param name="options">The fit's settings (iterations, width, threads, seed).</param>
    public Upscaler(UpscaleServiceOptions options)
    {
        MLImageConversions.RegisterVariableSizeImageType(); // the plain MLImage properties of the rows below
        int threads = options.ThreadsPerFit > 0 ? options.ThreadsPerFit : Math.Max(1, Environment.ProcessorCount / options.ConcurrentFits);
        _options.Model = _options.Model with
        {
            Iterations = options.Iterations > 0 ? options.Iterations : _options.Model.Iterations,
            HiddenSize = options.HiddenSize > 0 ? options.HiddenSize : _options.Model.HiddenSize,
            Threads = threads,
            Seed = options.Seed,
        };
    }

    /// <summary>Super-resolves <paramref name="image"/> by <paramref name="scale"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public UpscaleResult Upscale(SignalImage image, int scale, CancellationToken cancellationToken)
    {
        IINRImageProgress? report = null;
        var execution = new IINRImageExecution
        {
            ConcurrentFits = 1,
            CancellationToken = cancellationToken,
            Progress = new CallbackProgress<IINRImageProgress>(r => report = r),
        };
        var step = Step(scale).WithExecution(execution);
        PredictionEngine<LowResolutionRow, HighResolutionRow> engine;
        lock (_engineLock) engine = _ml.Model.CreatePredictionEngine<LowResolutionRow, HighResolutionRow>(step);
        using (engine)
        using (var input = image.ToMLImage())
        {
            using var output = engine.Predict(new LowResolutionRow { Image = input }).HighRes
                ?? throw new InvalidOperationException("The super-resolution step returned no image.");
            return new UpscaleResult(ImageFile.EncodePng(output.ToSignalImage()), report?.ObservationPsnr ?? double.NaN, report?.Seconds ?? double.NaN);
        }
    }

    // The step for a scale, created on first use: an estimator fitted on an empty view of the row type.
    private IINRImageTransformer Step(int scale) => _steps.GetOrAdd(scale, s => new Lazy<IINRImageTransformer>(() =>
    {
        lock (_engineLock)
            return _ml.Transforms.IINR.SuperResolveImages("HighRes", "Image", s, _options)
                .Fit(_ml.Data.LoadFromEnumerable(Array.Empty<LowResolutionRow>()));
    })).Value;

    private sealed class LowResolutionRow
    {
        public MLImage? Image { get; set; }
    }

    private sealed class HighResolutionRow
    {
        public MLImage? HighRes { get; set; }
    }

    // Progress reported on the fitting thread itself (Progress<T> would post it later, after the call returned).
    private sealed class CallbackProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}

/// <summary>An upscaled image.</summary>
/// <param name="Png">The PNG file's bytes.</param>
/// <param name="ObservationPsnr">PSNR in dB of the fit on the uploaded pixels (through the forward model).</param>
/// <param name="Seconds">Wall time of the fit and render.</param>
public sealed record UpscaleResult(byte[] Png, double ObservationPsnr, double Seconds);
