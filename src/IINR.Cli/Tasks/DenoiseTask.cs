using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Cli.Tasks;

/// <summary>What <see cref="DenoiseTask"/> does.</summary>
/// <param name="Model">Network and training hyperparameters (<see cref="InrOptions.Steps"/> is ignored: see <paramref name="Steps"/>).</param>
/// <param name="Steps">Inference steps; null = choose them automatically by hold-out validation.</param>
/// <param name="HoldOutFraction">Fraction of the pixels held out from training to choose the steps (automatic mode).</param>
/// <param name="MaxSteps">Largest step count tried in automatic mode (1..MaxSteps).</param>
/// <param name="Refit">Automatic mode: after choosing, train again on all pixels (true) or keep the model trained
/// without the held-out pixels (false: half the cost).</param>
public sealed record DenoiseOptions(InrOptions Model, int? Steps = null, double HoldOutFraction = DenoiseOptions.DefaultHoldOutFraction,
    int MaxSteps = DenoiseOptions.DefaultMaxSteps, bool Refit = false)
{
    /// <summary>Default hold-out fraction: 5 % of the pixels.</summary>
    public const double DefaultHoldOutFraction = 0.05;

    /// <summary>Default largest step count tried: 8.</summary>
    public const int DefaultMaxSteps = 8;

    /// <summary>ω0 of SIREN and FINER for denoising. Lower frequencies keep the fit from reproducing the noise; measured on
    /// the 128×128 TestScene at τ = 30, σ = 2, 300 iterations, I-SIREN: ω0 = 5 → 17.9 dB, 10 → 20.5, 15 → 18.8, 20 → 17.2
    /// (noisy input 17.1 dB; docs/CLI.md).</summary>
    public const double DefaultOmega0 = 10;

    /// <summary>ω0 of WIRE for denoising (not measured here: the WIRE baselines' denoising scripts use ω0 = 5, σ0 = 5).</summary>
    public const double DefaultWireOmega0 = 5;

    /// <summary>s0 of WIRE and s of Gauss for denoising (the baselines' σ0 = 5; not measured here).</summary>
    public const double DefaultScale = 5;

    /// <summary>The denoising defaults of ω0 and the scale, where <paramref name="model"/> leaves them unset (null);
    /// values set by the caller are kept. The CLI and the benchmark both start from these.</summary>
    public static InrOptions WithTaskDefaults(InrOptions model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model with
        {
            Omega0 = model.Omega0 ?? model.Backbone switch
            {
                BackboneKind.Siren or BackboneKind.Finer => DefaultOmega0,
                BackboneKind.Wire => DefaultWireOmega0,
                _ => null,
            },
            Scale = model.Scale ?? (model.Backbone is BackboneKind.Wire or BackboneKind.Gauss ? DefaultScale : null),
        };
    }
}

/// <summary>Held-out error of one inference step count.</summary>
/// <param name="Steps">Inference steps.</param>
/// <param name="HeldOutMse">Mean squared error of the prediction at the held-out pixels against their noisy values.</param>
public readonly record struct StepScore(int Steps, double HeldOutMse);

/// <summary>The outcome of <see cref="DenoiseTask"/>; <see cref="TaskResult.Model"/> is the model the output was rendered with. Owns the model: dispose it.</summary>
public sealed class DenoiseResult : TaskResult
{
    internal DenoiseResult(InrModel model, ImageFrame frame, SignalImage output, int steps, bool automatic, IReadOnlyList<StepScore> scores,
        int heldOutPixels, bool refitted, double? psnr, double? ssim, double? noisyPsnr, double? noisySsim, double trainSeconds,
        double inferSeconds, IReadOnlyList<CurvePoint> curve)
        : base(model, trainSeconds, inferSeconds, curve)
    {
        Frame = frame; Output = output; Steps = steps; Automatic = automatic; StepScores = scores; HeldOutPixels = heldOutPixels;
        Refitted = refitted; Psnr = psnr; Ssim = ssim; NoisyPsnr = noisyPsnr; NoisySsim = noisySsim;
    }

    /// <summary>The noisy image's frame.</summary>
    public ImageFrame Frame { get; }
    /// <summary>The denoised image (raw values).</summary>
    public SignalImage Output { get; }
    /// <summary>The inference steps used (chosen, or given).</summary>
    public int Steps { get; }
    /// <summary>True when the steps were chosen by hold-out validation.</summary>
    public bool Automatic { get; }
    /// <summary>Held-out error per step count (empty unless automatic).</summary>
    public IReadOnlyList<StepScore> StepScores { get; }
    /// <summary>Pixels held out from training (0 unless automatic).</summary>
    public int HeldOutPixels { get; }
    /// <summary>True when the model was trained again on all pixels after choosing the steps.</summary>
    public bool Refitted { get; }
    /// <summary>PSNR of the output (clamped to [0, 1]) against the clean reference; null without one.</summary>
    public double? Psnr { get; }
    /// <summary>SSIM of the output against the clean reference; null without one.</summary>
    public double? Ssim { get; }
    /// <summary>PSNR of the noisy input (clamped to [0, 1]) against the clean reference; null without one.</summary>
    public double? NoisyPsnr { get; }
    /// <summary>SSIM of the noisy input against the clean reference; null without one.</summary>
    public double? NoisySsim { get; }
}

/// <summary>
/// Denoising: fits the noisy image and renders the fit. The paper fixes the inference steps per task (more steps
/// start to reproduce the noise) and has no adaptive choice; here, in automatic mode, a random
/// <see cref="DenoiseOptions.HoldOutFraction"/> of the pixels is left out of training and the step count (1..MaxSteps)
/// whose prediction at those pixels is closest to their noisy values is chosen. The noise there is independent of
/// the fit, so the expected held-out error is the error against the clean image plus the noise variance: the
/// choice needs no clean image.
/// </summary>
public static class DenoiseTask
{
    /// <summary>Denoises <paramref name="noisy"/>; with <paramref name="clean"/> it also measures output and input.</summary>
    public static DenoiseResult Run(SignalImage noisy, DenoiseOptions options, SignalImage? clean = null,
        ITaskProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noisy);
        ArgumentNullException.ThrowIfNull(options);
        if (clean is not null) SignalImage.EnsureSameShape(clean, noisy, nameof(clean));
        if (options.Steps is int k && (k < 1 || k > 1000))
            throw new ArgumentOutOfRangeException(nameof(options), k, $"Steps must be between 1 and 1000; got {k}.");
        if (options.MaxSteps < 1 || options.MaxSteps > 64)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSteps, $"MaxSteps must be between 1 and 64; got {options.MaxSteps}.");
        if (!(options.HoldOutFraction > 0 && options.HoldOutFraction < 0.5))
            throw new ArgumentOutOfRangeException(nameof(options), options.HoldOutFraction, $"The hold-out fraction must lie in (0, 0.5); got {options.HoldOutFraction}.");

        var frame = ImageFrame.Of(noisy);
        // A plain backbone has no steps to choose.
        bool automatic = options.Steps is null && options.Model.Iterative;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        InrModel model;
        IReadOnlyList<CurvePoint> curve;
        int steps;
        var scores = new List<StepScore>();
        int heldOut = 0;
        bool refitted = false;
        if (!automatic)
        {
            steps = options.Steps ?? options.Model.Steps;
            (model, curve, _) = Training.Fit(ImageInr.TrainingSet(noisy), options.Model with { Steps = steps }, null, progress, "denoise", cancellationToken);
        }
        else
        {
            var (train, held) = Split(noisy, options.HoldOutFraction, options.Model.Seed);
            heldOut = held.CoordinateCount;
            (model, curve, _) = Training.Fit(train, options.Model, null, progress, "denoise (hold-out)", cancellationToken);
            try
            {
                for (int s = 1; s <= options.MaxSteps; s++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var prediction = model.Predict(held.Coordinates, s);
                    double mse = 0;
                    for (int i = 0; i < prediction.Length; i++) { double d = prediction[i] - held.Signal[i]; mse += d * d; }
                    scores.Add(new StepScore(s, mse / prediction.Length));
                }
            }
            catch
            {
                model.Dispose();
                throw;
            }
            steps = scores.MinBy(sc => sc.HeldOutMse).Steps;
            if (options.Refit)
            {
                model.Dispose();
                (model, curve, _) = Training.Fit(ImageInr.TrainingSet(noisy), options.Model with { Steps = steps }, null, progress, "denoise (refit)", cancellationToken);
                refitted = true;
            }
        }
        double trainSeconds = clock.Elapsed.TotalSeconds;
        try
        {
            var (output, inferSeconds) = ImageInr.Render(model, frame, noisy.Width, noisy.Height, steps);
            double? psnr = null, ssim = null, nPsnr = null, nSsim = null;
            if (clean is not null)
            {
                psnr = ImageInr.Psnr(output, clean); ssim = ImageInr.Ssim(output, clean);
                nPsnr = ImageInr.Psnr(noisy, clean); nSsim = ImageInr.Ssim(noisy, clean);
            }
            return new DenoiseResult(model, frame, output, steps, automatic, scores, heldOut, refitted, psnr, ssim, nPsnr, nSsim, trainSeconds, inferSeconds, curve);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Splits the pixels into a training set and a held-out set (a seeded random choice of ⌈fraction·N⌉ pixels, at least 1).</summary>
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
}
