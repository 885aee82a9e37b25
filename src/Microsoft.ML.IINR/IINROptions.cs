using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace Microsoft.ML.IINR;

/// <summary>
/// Options of <see cref="IINRCatalog.Trainer"/> and of the catalog's tasks: the columns, the model and its
/// training (<see cref="Model"/>, the core's <see cref="InrOptions"/>: every hyperparameter, in one place),
/// and how fitting runs (<see cref="TrainingScale"/>, <see cref="Progress"/>, <see cref="CancellationToken"/>).
/// </summary>
/// <remarks>
/// <para>Start from a task preset (<see cref="ForFitting(BackboneKind)"/>, <see cref="ForSuperResolution(BackboneKind, int)"/>,
/// <see cref="ForDenoising"/>, <see cref="ForOccupancy"/>: <see cref="TaskPresets"/>) or from the defaults, and
/// change what you need: <c>options.Model = options.Model with { Iterations = 500 }</c>.</para>
/// <para>The estimator copies the options when it is created, so changing them afterwards does not affect it.
/// Values are checked then too (<see cref="Validate"/>); an invalid one raises an <see cref="ArgumentException"/>
/// whose <see cref="ArgumentException.ParamName"/> is the option's name (an <see cref="InrOptions"/> property such as
/// "Iterations", or one of this class).</para>
/// <para>Fitting also uses the <see cref="MLContext"/>, like ML.NET's own trainers: its log receives a message when
/// fitting starts and ends (Info) and a line per progress report (Trace); <c>MLContext(seed)</c> seeds a model whose
/// <see cref="InrOptions.Seed"/> is null; and cancelling the context's execution stops fitting.</para>
/// </remarks>
public sealed class IINROptions
{
    // ---- columns ----

    /// <summary>Input column of coordinates, <c>Vector&lt;Single, D&gt;</c> with D = 1, 2 or 3 and values in [−1, 1]. Default "Coordinates".</summary>
    public string CoordinatesColumnName { get; set; } = "Coordinates";

    /// <summary>Input column of the observed signal, <c>Vector&lt;Single, C&gt;</c> with C = 1 to 64 (values nominally in [0, 1]).
    /// Needed to fit; optional at Transform time (when present, its size must be C). Default "Signal".</summary>
    public string SignalColumnName { get; set; } = "Signal";

    /// <summary>Output column of the reconstruction, <c>Vector&lt;Single, C&gt;</c>. Default "Reconstruction".</summary>
    public string OutputColumnName { get; set; } = "Reconstruction";

    // ---- the model and its training ----

    /// <summary>
    /// The network and its training: backbone, FeedbackNet/FuseNet heads, inference steps, iterations, learning
    /// rate, seed, device, threads (<see cref="InrOptions"/>; stored with the fitted weights). Default: the
    /// <see cref="InrOptions"/> defaults, except that a null <see cref="InrOptions.Seed"/> takes the MLContext's seed.
    /// </summary>
    public InrOptions Model { get; set; } = new();

    // ---- how fitting runs ----

    /// <summary>
    /// Super-resolution fitting: when &gt; 1, the model renders the training image's frame at
    /// TrainingScale× its resolution and is fitted through the average of each
    /// TrainingScale×TrainingScale cell against the observed pixels (the core's
    /// <see cref="AveragePoolOperator"/>), instead of point samples at the pixel centres. The input
    /// must then be a whole image as <c>LoadFromImage</c> produces it: the width/height annotations
    /// (<see cref="IINRAnnotations"/>), W·H rows in row-major order with the pixel-centre
    /// coordinates; otherwise fitting fails with an explanation. Cannot be combined with a
    /// <see cref="InrOptions.BatchSize"/> below the rendered row count. 1 to 64. Default 1 (plain fitting).
    /// </summary>
    public int TrainingScale { get; set; } = 1;

    /// <summary>
    /// Super-resolution only (<see cref="IINRCatalog.SuperResolve"/>, <see cref="IINRCatalog.SuperResolveImages"/>): rounds
    /// of back-projection applied to the rendered output when it is larger than the input, so that it area-averages back
    /// to the observed pixels (<see cref="Resampling.BackProject"/>: x += bicubic(observed − area(x)) per round). Training
    /// matches the observations at <see cref="TrainingScale"/>, not at the output's scale; the correction is smooth and
    /// keeps the network's detail. The fitted <see cref="IINRImageResult.Model"/> is not changed: rendering it again gives
    /// the uncorrected network. 0 to <see cref="MaxBackProjectionRounds"/>. Default 0 (the render as it is);
    /// <see cref="ForSuperResolution(BackboneKind, int)"/> sets <see cref="TaskPresets.SuperResolutionBackProjectionRounds"/>.
    /// </summary>
    public int BackProjectionRounds { get; set; }

    /// <summary>The most <see cref="BackProjectionRounds"/> accepted (each round resamples an input-sized image twice).</summary>
    public const int MaxBackProjectionRounds = 1000;

    /// <summary>Receives a training report every <see cref="InrOptions.ProgressInterval"/> iterations and at the end
    /// (iteration, loss, PSNR of the reconstruction, learning rate, time), besides the MLContext's log. Default null.</summary>
    public IProgress<InrProgress>? Progress { get; set; }

    /// <summary>Stops fitting between iterations (Fit then throws <see cref="OperationCanceledException"/>), as cancelling
    /// the MLContext's execution does. Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    // ---- task presets ----

    /// <summary>Fitting a signal on its own grid (<see cref="TaskPresets.Fitting"/>).</summary>
    /// <param name="backbone">The backbone.</param>
    public static IINROptions ForFitting(BackboneKind backbone = BackboneKind.Siren) => new() { Model = TaskPresets.Fitting(backbone) };

    /// <summary>Fitting <paramref name="image"/> with a network sized to a budget of backbone weights per image value (pixels ×
    /// channels) rather than to a width (<see cref="TaskPresets.FittingForBudget(InrOptions, double, SignalImage)"/>; the paper's Kodak runs fit 0.23): the widest
    /// network of the preset's depth within the budget, Fourier features on the positional encoding to the image's Nyquist frequency.</summary>
    /// <param name="image">The image to fit.</param>
    /// <param name="weightsPerValue">The budget: backbone weights per image value (&gt; 0).</param>
    /// <param name="backbone">The backbone.</param>
    public static IINROptions ForFitting(SignalImage image, double weightsPerValue, BackboneKind backbone = BackboneKind.Siren) =>
        new() { Model = TaskPresets.FittingForBudget(TaskPresets.Fitting(backbone), weightsPerValue, image) };

    /// <summary>Super-resolution (<see cref="TaskPresets.SuperResolution(BackboneKind)"/>), fitted through the area-average forward model.</summary>
    /// <param name="backbone">The backbone.</param>
    /// <param name="trainingScale">The <see cref="TrainingScale"/>.</param>
    public static IINROptions ForSuperResolution(BackboneKind backbone = BackboneKind.Siren, int trainingScale = TaskPresets.SuperResolutionTrainingScale) =>
        new() { Model = TaskPresets.SuperResolution(backbone), TrainingScale = trainingScale, BackProjectionRounds = TaskPresets.SuperResolutionBackProjectionRounds };

    /// <summary>Super-resolution of <paramref name="observed"/> (<see cref="TaskPresets.SuperResolution(BackboneKind, int, int)"/>):
    /// the preset with its network width sized to the observed pixels (128 for 32×32, 256 from 64×64).</summary>
    /// <param name="observed">The low-resolution image to super-resolve.</param>
    /// <param name="backbone">The backbone.</param>
    /// <param name="trainingScale">The <see cref="TrainingScale"/>.</param>
    public static IINROptions ForSuperResolution(SignalImage observed, BackboneKind backbone = BackboneKind.Siren, int trainingScale = TaskPresets.SuperResolutionTrainingScale)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return new()
        {
            Model = TaskPresets.SuperResolution(backbone, observed.Width, observed.Height),
            TrainingScale = trainingScale,
            BackProjectionRounds = TaskPresets.SuperResolutionBackProjectionRounds,
        };
    }

    /// <summary>Denoising by fitting the noisy image (<see cref="TaskPresets.Denoising"/>).</summary>
    /// <param name="backbone">The backbone.</param>
    public static IINROptions ForDenoising(BackboneKind backbone = BackboneKind.Siren) => new() { Model = TaskPresets.Denoising(backbone) };

    /// <summary>3D occupancy, on sampled points or a voxel grid (<see cref="TaskPresets.Occupancy"/>).</summary>
    /// <param name="backbone">The backbone.</param>
    public static IINROptions ForOccupancy(BackboneKind backbone = BackboneKind.Siren) => new() { Model = TaskPresets.Occupancy(backbone) };

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> (usually <see cref="ArgumentOutOfRangeException"/>)
    /// whose <see cref="ArgumentException.ParamName"/> names the option.</summary>
    public void Validate()
    {
        CheckName(CoordinatesColumnName, nameof(CoordinatesColumnName));
        CheckName(SignalColumnName, nameof(SignalColumnName));
        CheckName(OutputColumnName, nameof(OutputColumnName));
        if (CoordinatesColumnName == SignalColumnName)
            throw new ArgumentException($"CoordinatesColumnName and SignalColumnName are both '{SignalColumnName}'; they must name different columns.", nameof(SignalColumnName));
        CheckTrainingScale(TrainingScale);
        CheckBackProjectionRounds(BackProjectionRounds);
        if (Model is null)
            throw new ArgumentNullException(nameof(Model), "Model must hold the model options (an InrOptions).");
        Model.Validate();
    }

    /// <summary>Checks a <see cref="TrainingScale"/> (here and where a saved image step is read back).</summary>
    internal static void CheckTrainingScale(int value)
    {
        if (value is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(TrainingScale), value, $"TrainingScale must be between 1 and 64; got {value}.");
    }

    /// <summary>Checks a <see cref="BackProjectionRounds"/> (here and where a saved image step is read back).</summary>
    internal static void CheckBackProjectionRounds(int value)
    {
        if (value is < 0 or > MaxBackProjectionRounds)
            throw new ArgumentOutOfRangeException(nameof(BackProjectionRounds), value, $"BackProjectionRounds must be between 0 and {MaxBackProjectionRounds}; got {value}.");
    }

    /// <summary>A copy (the estimator keeps its own; <see cref="Model"/> is immutable and shared).</summary>
    internal IINROptions Clone() => (IINROptions)MemberwiseClone();

    private static void CheckName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} must name a column; got {(name is null ? "null" : $"'{name}'")}.", option);
    }
}
