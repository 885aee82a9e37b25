using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// The single-image tasks behind <see cref="IINRCatalog.FitImage"/>, <see cref="IINRCatalog.SuperResolve"/> and
/// <see cref="IINRCatalog.Denoise"/>: one image in, one image out, a fitted model and a short report. Fitting goes
/// through the estimator (super-resolution through its <see cref="IINROptions.TrainingScale"/> forward model) or,
/// for the held-out fit of automatic denoising, through the same <see cref="Fitting"/> run on part of the pixels.
/// </summary>
internal static class ImageTasks
{
    /// <summary>The largest output <see cref="SuperResolve"/> renders.</summary>
    internal const long MaxOutputPixels = 64L * 1024 * 1024;

    internal static IINRImageResult FitImage(ContextEnvironment env, SignalImage image, IINROptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options = options.Clone();
        options.Model = TaskPresets.FittingForSignal(options.Model, inputDims: 2, image.Channels, (long)image.Width * image.Height * image.Channels);
        return FitAndRender(env, image, options, image.Width, image.Height);
    }

    internal static IINRImageResult SuperResolve(ContextEnvironment env, SignalImage image, double scale, IINROptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (width, height) = ImageFrame.Of(image).Scaled(scale);
        if ((long)width * height > MaxOutputPixels)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Scale {scale} gives a {width}×{height} output, more than {MaxOutputPixels / (1024 * 1024)} megapixels.");
        ArgumentNullException.ThrowIfNull(options);
        return FitAndRender(env, image, options, width, height, options.BackProjectionRounds);
    }

    internal static IINRImageResult Denoise(ContextEnvironment env, SignalImage noisy, IINROptions options,
        bool automaticSteps, double holdOutFraction, int maxSteps, bool refit)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(options);
        if (!(holdOutFraction > 0 && holdOutFraction < 0.5))
            throw new ArgumentOutOfRangeException(nameof(holdOutFraction), holdOutFraction, $"The hold-out fraction must lie in (0, 0.5); got {holdOutFraction}.");
        if (maxSteps is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, $"The largest step count tried must be between 1 and 64; got {maxSteps}.");
        options.Validate();
        CheckDenoisingOutput(options.TrainingScale, options.BackProjectionRounds);
        if (!automaticSteps)
            return FitAndRender(env, noisy, options, noisy.Width, noisy.Height);

        // One seed for the split and the fit. Training leaves the held-out pixels out and watches their error: the
        // weights and step count that predicted them best are kept (for a plain backbone, the stopping point alone).
        options = options.Clone();
        options.Model = options.Model with { Seed = env.Seed(options.Model.Seed) };
        var clock = Stopwatch.StartNew();
        var (train, held) = Split(noisy, holdOutFraction, options.Model.EffectiveSeed);
        using var stopping = new HeldOutStopping(held, StoppingInterval(options.Model.Iterations), options.Model.Iterative ? maxSteps : 1);
        var model = Fitting.Run(env, train, null, options, ImageFrame.Of(noisy), stopping);
        try
        {
            var best = stopping.Best ?? throw new InvalidOperationException("Training ended before the first held-out evaluation.");
            var scores = stopping.Scores.Where(s => s.Iteration == best.Iteration).Select(s => new StepScore(s.Steps, s.Mse)).ToList();
            var selection = new StepSelection(scores, held.CoordinateCount, refit, best.Iteration);
            if (refit)
            {
                model.Dispose();
                options.Model = options.Model with { Steps = selection.Steps, Iterations = best.Iteration };
                model = Fit(env, noisy, options);
            }
            else
            {
                model = model.MoveTo(selection.Steps);
            }
            return Render(model, noisy, scale: 1, noisy.Width, noisy.Height, clock.Elapsed.TotalSeconds, selection);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Denoising fits and renders the noisy pixels themselves: no training scale, nothing to back-project onto.</summary>
    internal static void CheckDenoisingOutput(int trainingScale, int backProjectionRounds)
    {
        if (trainingScale != 1)
            throw new ArgumentOutOfRangeException(nameof(IINROptions.TrainingScale), trainingScale, "Denoising fits the noisy pixels themselves: TrainingScale must be 1.");
        if (backProjectionRounds != 0)
            throw new ArgumentOutOfRangeException(nameof(IINROptions.BackProjectionRounds), backProjectionRounds, "Denoising renders at the input's size: BackProjectionRounds must be 0.");
    }

    /// <summary>Iterations between held-out evaluations of automatic denoising: about 20 over the run.</summary>
    internal static int StoppingInterval(int iterations) => Math.Max(1, iterations / 20);

    /// <summary>Splits the pixels into a training set and a held-out set: a seeded random choice of ⌈fraction·N⌉ pixels, at least 1.</summary>
    internal static (TrainingSet Train, TrainingSet HeldOut) Split(SignalImage image, double fraction, int seed)
    {
        int n = image.Width * image.Height, c = image.Channels;
        if (n < 2) throw new ArgumentException($"Choosing the steps needs at least 2 pixels; the image is {image.Shape}.", nameof(image));
        int held = Math.Clamp((int)Math.Ceiling(fraction * n), 1, n - 1);
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new DeterministicRandom(0xD15EA5EUL ^ (ulong)(uint)seed);
        for (int i = 0; i < held; i++)
        {
            int j = i + (int)(random.NextDouble() * (n - i));
            (order[i], order[j]) = (order[j], order[i]);
        }
        var isHeld = new bool[n];
        for (int i = 0; i < held; i++) isHeld[order[i]] = true;
        var grid = PixelGrid.Coordinates(image.Width, image.Height);
        var trainX = new float[(n - held) * 2]; var trainY = new float[(n - held) * c];
        var heldX = new float[held * 2]; var heldY = new float[held * c];
        int t = 0, h = 0;
        for (int i = 0; i < n; i++)
        {
            if (isHeld[i])
            {
                Array.Copy(grid, i * 2, heldX, h * 2, 2); Array.Copy(image.Data, i * c, heldY, h * c, c); h++;
            }
            else
            {
                Array.Copy(grid, i * 2, trainX, t * 2, 2); Array.Copy(image.Data, i * c, trainY, t * c, c); t++;
            }
        }
        return (new TrainingSet(trainX, 2, trainY, c), new TrainingSet(heldX, 2, heldY, c));
    }

    // Fits the whole image through the estimator, then renders the output (back-projected onto the input when it is larger).
    private static IINRImageResult FitAndRender(ContextEnvironment env, SignalImage image, IINROptions options, int width, int height,
        int backProjectionRounds = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var model = Fit(env, image, options);
        try
        {
            return Render(model, image, options.TrainingScale, width, height, clock.Elapsed.TotalSeconds, null, backProjectionRounds);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static IINRTransformer Fit(ContextEnvironment env, SignalImage image, IINROptions options) =>
        new IINREstimator(env, options).Fit(IINRDataLoaders.ImageView(image, options.CoordinatesColumnName, options.SignalColumnName));

    // The output at width×height, and the observation PSNR: the render at the training scale, area-averaged back, against the
    // input. An output larger than the input is then corrected by backProjectionRounds of back-projection onto it: training
    // matched the observations at the training scale, not at the output's.
    private static IINRImageResult Render(IINRTransformer model, SignalImage observed, int scale, int width, int height,
        double trainSeconds, StepSelection? selection, int backProjectionRounds = 0)
    {
        var clock = Stopwatch.StartNew();
        var output = model.RenderSignalImage(width, height);
        double renderSeconds = clock.Elapsed.TotalSeconds;
        int fineWidth = observed.Width * scale, fineHeight = observed.Height * scale;
        var fine = width == fineWidth && height == fineHeight ? output : model.RenderSignalImage(fineWidth, fineHeight);
        double psnr = ImageMetrics.Psnr(scale == 1 ? fine : Resampling.DownscaleArea(fine, scale), observed);
        bool larger = width >= observed.Width && height >= observed.Height && (long)width * height > (long)observed.Width * observed.Height;
        if (backProjectionRounds > 0 && larger)
        {
            clock.Restart();
            Resampling.BackProject(output, observed, backProjectionRounds);
            renderSeconds += clock.Elapsed.TotalSeconds;
        }
        return new IINRImageResult(model, output, psnr, trainSeconds, renderSeconds, selection);
    }
}
