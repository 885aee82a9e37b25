using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// What an image-column step computes for one image: a single-image task of the catalog
/// (<see cref="ImageTasks.SuperResolve"/> or <see cref="ImageTasks.Denoise"/>) with settings fixed when the step was
/// created, so the same image always gives the same pixels: the options' seed mixed with a hash of the image
/// (<see cref="RowSeed"/>), and a fixed libtorch thread count per fit (<see cref="InrOptions.Threads"/>).
/// Immutable; saved with the transformer (<see cref="ToPayload"/>).
/// </summary>
/// <param name="Task">Super-resolution or denoising.</param>
/// <param name="Scale">Output size as a multiple of the input size (super-resolution; 1 for denoising).</param>
/// <param name="Model">The model options, with <see cref="InrOptions.Seed"/> (the base seed) and <see cref="InrOptions.Threads"/> resolved.</param>
/// <param name="TrainingScale">Super-resolution's forward model (<see cref="IINROptions.TrainingScale"/>); 1 for denoising.</param>
/// <param name="AutomaticSteps">Denoising: choose the inference steps on held-out pixels.</param>
/// <param name="HoldOutFraction">Denoising: the fraction of pixels held out.</param>
/// <param name="MaxSteps">Denoising: the largest step count tried.</param>
/// <param name="Refit">Denoising: fit again on all pixels after choosing.</param>
/// <param name="BackProjectionRounds">Super-resolution: rounds of back-projection of the output onto the input
/// (<see cref="IINROptions.BackProjectionRounds"/>); 0 for denoising.</param>
internal sealed record ImageStep(IINRImageTask Task, double Scale, InrOptions Model, int TrainingScale,
    bool AutomaticSteps, double HoldOutFraction, int MaxSteps, bool Refit, int BackProjectionRounds)
{
    /// <summary>Version of the payload written by <see cref="ToPayload"/>. Version 1 (before back-projection) is read
    /// with no back-projection, so a step saved then renders as it did.</summary>
    private const int PayloadVersion = 2;

    private const int HashLength = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The step from the catalog's arguments: checks them and resolves the base seed (given, else the
    /// MLContext's, else random) and the threads per fit (given, else 1).</summary>
    /// <exception cref="ArgumentException">An option or argument is invalid; <see cref="ArgumentException.ParamName"/> names it.</exception>
    internal static ImageStep Create(ContextEnvironment env, IINRImageTask task, double scale, IINROptions options,
        bool automaticSteps = true, double holdOutFraction = TaskPresets.DenoisingHoldOutFraction, int maxSteps = TaskPresets.DenoisingMaxSteps, bool refit = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var model = options.Model with { Seed = env.Seed(options.Model.Seed), Threads = options.Model.Threads ?? 1 };
        var step = new ImageStep(task, scale, model, options.TrainingScale, automaticSteps, holdOutFraction, maxSteps, refit, options.BackProjectionRounds);
        step.Validate();
        return step;
    }

    /// <summary>Checks the values (the options themselves are checked by <see cref="InrOptions.Validate"/>).</summary>
    private void Validate()
    {
        if (!Enum.IsDefined(Task))
            throw new ArgumentOutOfRangeException(nameof(Task), Task, $"The task must be one of {string.Join(", ", Enum.GetNames<IINRImageTask>())}.");
        if (!(Scale >= 1) || !double.IsFinite(Scale) || Scale > 64)
            throw new ArgumentOutOfRangeException("scale", Scale, $"The scale of an image step must be a finite value from 1 to 64 (the output as a multiple of the input size); got {Scale}.");
        IINROptions.CheckTrainingScale(TrainingScale);
        IINROptions.CheckBackProjectionRounds(BackProjectionRounds);
        Model.Validate();
        if (Task != IINRImageTask.Denoising) return;
        ImageTasks.CheckDenoisingOutput(TrainingScale, BackProjectionRounds);
        if (!(HoldOutFraction > 0 && HoldOutFraction < 0.5))
            throw new ArgumentOutOfRangeException("holdOutFraction", HoldOutFraction, $"The hold-out fraction must lie in (0, 0.5); got {HoldOutFraction}.");
        if (MaxSteps is < 1 or > 64)
            throw new ArgumentOutOfRangeException("maxSteps", MaxSteps, $"The largest step count tried must be between 1 and 64; got {MaxSteps}.");
    }

    /// <summary>The output size for a <paramref name="width"/>×<paramref name="height"/> input (<see cref="ImageFrame.Scaled"/>).</summary>
    internal (int Width, int Height) OutputSize(int width, int height) =>
        Task == IINRImageTask.SuperResolution ? ImageFrame.Of(width, height, 1).Scaled(Scale) : (width, height);

    /// <summary>The largest output a step renders (<see cref="ImageTasks.MaxOutputPixels"/>).</summary>
    internal static long MaxOutputPixels => ImageTasks.MaxOutputPixels;

    /// <summary>
    /// The seed of one image's fit: the base seed mixed with a SHA-256 of the image's size and values, so the same
    /// image gets the same seed wherever it appears (any row, any order, any shard) and different images differ.
    /// </summary>
    internal int RowSeed(SignalImage image)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[16];
        BitConverter.TryWriteBytes(header, Model.EffectiveSeed);
        BitConverter.TryWriteBytes(header[4..], image.Width);
        BitConverter.TryWriteBytes(header[8..], image.Height);
        BitConverter.TryWriteBytes(header[12..], image.Channels);
        hash.AppendData(header);
        hash.AppendData(MemoryMarshal.AsBytes(image.Data.AsSpan()));
        Span<byte> digest = stackalloc byte[HashLength];
        hash.GetHashAndReset(digest);
        return BitConverter.ToInt32(digest) & int.MaxValue;
    }

    /// <summary>Runs the task on one image on the calling thread and returns its output; the fitted model is freed.</summary>
    /// <param name="env">The MLContext (log, cancellation).</param>
    /// <param name="image">The input image.</param>
    /// <param name="cancellationToken">Stops the fit between iterations.</param>
    internal ImageStepOutput Run(ContextEnvironment env, SignalImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var options = new IINROptions
        {
            Model = Model with { Seed = RowSeed(image) },
            TrainingScale = TrainingScale,
            BackProjectionRounds = BackProjectionRounds,
            CancellationToken = cancellationToken,
        };
        var clock = Stopwatch.StartNew();
        using var result = Task == IINRImageTask.SuperResolution
            ? ImageTasks.SuperResolve(env, image, Scale, options)
            : ImageTasks.Denoise(env, image, options, AutomaticSteps, HoldOutFraction, MaxSteps, Refit);
        return new ImageStepOutput(result.Image, result.ObservationPsnr, result.TrainSeconds, result.RenderSeconds, result.Model.Steps, clock.Elapsed.TotalSeconds);
    }

    // ---- persistence ----

    private sealed record Payload(int Version, IINRImageTask Task, double Scale, InrOptions Model, int TrainingScale,
        bool AutomaticSteps, double HoldOutFraction, int MaxSteps, bool Refit, int BackProjectionRounds = 0);

    /// <summary>The step as UTF-8 JSON followed by its SHA-256 (one checksum per saved component).</summary>
    internal byte[] ToPayload()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Payload(PayloadVersion, Task, Scale, Model, TrainingScale, AutomaticSteps, HoldOutFraction, MaxSteps, Refit, BackProjectionRounds), Json);
        return [.. json, .. SHA256.HashData(json)];
    }

    /// <summary>Reads <see cref="ToPayload"/>'s bytes back; throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    internal static ImageStep FromPayload(byte[] payload)
    {
        if (payload.Length <= HashLength)
            throw new InvalidDataException($"it holds {payload.Length} bytes, too few for the step's settings and checksum");
        var json = payload.AsSpan(0, payload.Length - HashLength);
        if (!SHA256.HashData(json).AsSpan().SequenceEqual(payload.AsSpan(payload.Length - HashLength)))
            throw new InvalidDataException("its SHA-256 checksum does not match its contents");
        Payload saved;
        try
        {
            saved = JsonSerializer.Deserialize<Payload>(json, Json) ?? throw new InvalidDataException("its settings are empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"its settings are not valid JSON: {e.Message}", e);
        }
        if (saved.Version is < 1 or > PayloadVersion)
            throw new InvalidDataException($"its settings have version {saved.Version}; this library reads versions 1 to {PayloadVersion}");
        if (saved.Version == 1 && saved.BackProjectionRounds != 0)
            throw new InvalidDataException("its settings have version 1, which has no back-projection, but name BackProjectionRounds");
        if (saved.Model is null || saved.Model.Seed is null || saved.Model.Threads is null)
            throw new InvalidDataException("its model options lack the resolved seed or thread count");
        var step = new ImageStep(saved.Task, saved.Scale, saved.Model, saved.TrainingScale, saved.AutomaticSteps, saved.HoldOutFraction, saved.MaxSteps, saved.Refit,
            saved.BackProjectionRounds);
        try
        {
            step.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"its settings are invalid: {e.Message}", e);
        }
        return step;
    }
}

/// <summary>The output of <see cref="ImageStep.Run"/> for one image.</summary>
/// <param name="Image">The output image (raw values, not clamped).</param>
/// <param name="ObservationPsnr">The task's <see cref="IINRImageResult.ObservationPsnr"/>.</param>
/// <param name="TrainSeconds">The task's <see cref="IINRImageResult.TrainSeconds"/>.</param>
/// <param name="RenderSeconds">The task's <see cref="IINRImageResult.RenderSeconds"/>.</param>
/// <param name="Steps">Inference steps the output was rendered with.</param>
/// <param name="Seconds">Wall time of the whole task call.</param>
internal sealed record ImageStepOutput(SignalImage Image, double ObservationPsnr, double TrainSeconds, double RenderSeconds, int Steps, double Seconds);
