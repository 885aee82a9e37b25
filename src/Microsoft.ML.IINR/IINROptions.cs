using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace Microsoft.ML.IINR;

/// <summary>
/// Options of <see cref="IINRCatalog.Trainer"/>: the columns, every hyperparameter of the
/// (iterative) implicit neural representation and the training run. The model options mirror the
/// core's <see cref="InrOptions"/> property by property, with the same defaults (chosen by
/// measurement); a test keeps the two in step.
/// </summary>
/// <remarks>
/// The estimator copies the options when it is created, so changing them afterwards does not
/// affect it. Values are checked then too; an invalid one raises an
/// <see cref="ArgumentOutOfRangeException"/> naming the option.
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

    // ---- backbone ----

    /// <summary>The backbone network. Default <see cref="BackboneKind.Siren"/>.</summary>
    public BackboneKind Backbone { get; set; } = BackboneKind.Siren;

    /// <summary>Hidden layers after the first layer (SIREN's convention: 3 gives D→H→H→H→H→C). Default 3.</summary>
    public int HiddenLayers { get; set; } = 3;

    /// <summary>Hidden width H. WIRE uses ⌊H/√2⌋ complex units. Default 256.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Frequency ω0 of SIREN and FINER (their default 30) and WIRE (20); null = the backbone's default. Default null.</summary>
    public double? Omega0 { get; set; }

    /// <summary>Scale of WIRE's Gaussian envelope s0 or of Gauss's activation s (both 10 by default); null = default. Default null.</summary>
    public double? Scale { get; set; }

    /// <summary>Frequencies of the Fourier-feature encoding (backbone <see cref="BackboneKind.FourierFeatures"/>): random
    /// Gaussian or NeRF's positional encoding. Default <see cref="FourierEncoding.Gaussian"/>.</summary>
    public FourierEncoding FourierEncoding { get; set; } = FourierEncoding.Gaussian;

    /// <summary>Standard deviation σ of the Gaussian Fourier-feature frequencies, in cycles per unit of the coordinates,
    /// which span [-1, 1]. Default 10.</summary>
    public double FourierScale { get; set; } = 10;

    /// <summary>Number of Gaussian Fourier frequencies m (the encoding has 2m features). Default 256.</summary>
    public int FourierFeatureCount { get; set; } = 256;

    /// <summary>Octaves L of the positional encoding (2·D·L features); L = ⌊log₂ N⌋ reaches the Nyquist frequency of N
    /// samples along an axis. Default 8.</summary>
    public int FourierOctaves { get; set; } = 8;

    // ---- iterative heads ----

    /// <summary>True: the iterative model (I-INR); false: the plain backbone, for comparison. Default true.</summary>
    public bool Iterative { get; set; } = true;

    /// <summary>Ablation switch: use FeedbackNet. Default true.</summary>
    public bool UseFeedbackNet { get; set; } = true;

    /// <summary>Ablation switch: use FuseNet. Default true.</summary>
    public bool UseFuseNet { get; set; } = true;

    /// <summary>FeedbackNet hidden width. Default 30 (the paper).</summary>
    public int FeedbackHiddenSize { get; set; } = 30;

    /// <summary>FeedbackNet linear layers (≥ 1). Default 2 (the paper).</summary>
    public int FeedbackLayers { get; set; } = 2;

    /// <summary>FuseNet hidden width. Default 100 (the paper).</summary>
    public int FuseHiddenSize { get; set; } = 100;

    /// <summary>FuseNet linear layers (≥ 1). Default 2 (the paper).</summary>
    public int FuseLayers { get; set; } = 2;

    /// <summary>How FuseNet's output meets the backbone output. Default <see cref="FusionMode.Multiplicative"/>.</summary>
    public FusionMode Fusion { get; set; } = FusionMode.Multiplicative;

    /// <summary>FuseNet's output activation. Default <see cref="GateActivation.Identity"/>.</summary>
    public GateActivation Gate { get; set; } = GateActivation.Identity;

    /// <summary>How the time t enters FeedbackNet. Default <see cref="global::IINR.Trainers.TimeEmbedding.Raw"/>.</summary>
    public TimeEmbedding TimeEmbedding { get; set; } = TimeEmbedding.Raw;

    /// <summary>Fixed (coordinate-seeded) or resampled start state Z in training. Default <see cref="NoiseMode.Fixed"/>.</summary>
    public NoiseMode Noise { get; set; } = NoiseMode.Fixed;

    /// <summary>Distribution of Z. Default <see cref="global::IINR.Trainers.NoiseDistribution.Gaussian"/>.</summary>
    public NoiseDistribution NoiseDistribution { get; set; } = NoiseDistribution.Gaussian;

    /// <summary>t per coordinate or per batch in training. Default <see cref="global::IINR.Trainers.TimeSampling.PerCoordinate"/>.</summary>
    public TimeSampling TimeSampling { get; set; } = TimeSampling.PerCoordinate;

    /// <summary>ε, the scale of the extra noise in the training state. Default 0.1 (the paper).</summary>
    public double StateNoise { get; set; } = 0.1;

    /// <summary>Inference steps of the fitted transformer (Alg. 2); <see cref="IINRTransformer.WithSteps"/> changes them later. Default 2 (the paper).</summary>
    public int Steps { get; set; } = 2;

    // ---- training ----

    /// <summary>Training iterations. Default 2000 (the paper).</summary>
    public int Iterations { get; set; } = 2000;

    /// <summary>Adam learning rate at the first iteration; null = the backbone's default
    /// (<see cref="InrOptions.DefaultLearningRate"/>: 1e-3 SIREN, 2e-3 WIRE, 5e-3 Gauss, 1e-3 FINER, 1e-3 Fourier features). Default null.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Learning rate of FeedbackNet and FuseNet at the first iteration; null = the backbone's. Default null.</summary>
    public double? HeadLearningRate { get; set; }

    /// <summary>The learning rate decays exponentially to this fraction of its start by the last iteration. Default 0.1.</summary>
    public double FinalLearningRateFactor { get; set; } = 0.1;

    /// <summary>Coordinates per iteration; null = full batch up to <see cref="MaxFullBatch"/> rows, random batches of that size above. Default null.</summary>
    public int? BatchSize { get; set; }

    /// <summary>Largest training set trained full-batch when <see cref="BatchSize"/> is null. Default 262,144 (512²).</summary>
    public int MaxFullBatch { get; set; } = 512 * 512;

    /// <summary>Rows per forward/backward pass within a batch on the CPU (gradients are accumulated, so the update is the whole batch's). Default 8192.</summary>
    public int ChunkSize { get; set; } = 8192;

    /// <summary>Seed of the weights, of Z and of every training draw. Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>libtorch intra-op threads (process-wide, set when fitting starts); null = keep the current setting. Default null.</summary>
    public int? Threads { get; set; }

    /// <summary>Where to fit and run the model. Default <see cref="ComputeDevice.Auto"/> (CUDA when libtorch sees a GPU, else the CPU).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    /// <summary>Iterations between <see cref="Progress"/> reports (each costs one inference pass over the training coordinates). Default 25.</summary>
    public int ProgressInterval { get; set; } = 25;

    // ---- beyond the core's options ----

    /// <summary>
    /// Super-resolution fitting: when &gt; 1, the model renders the training image's frame at
    /// TrainingScale× its resolution and is fitted through the average of each
    /// TrainingScale×TrainingScale cell against the observed pixels (the core's
    /// <see cref="AveragePoolOperator"/>), instead of point samples at the pixel centres. The input
    /// must then be a whole image as <c>LoadFromImage</c> produces it: the width/height annotations
    /// (<see cref="IINRAnnotations"/>), W·H rows in row-major order with the pixel-centre
    /// coordinates; otherwise fitting fails with an explanation. Cannot be combined with a
    /// <see cref="BatchSize"/> below the rendered row count. 1 to 64. Default 1 (plain fitting).
    /// </summary>
    public int TrainingScale { get; set; } = 1;

    /// <summary>Receives a training report every <see cref="ProgressInterval"/> iterations and at the end (iteration, loss, PSNR of the reconstruction, learning rate, time). Default null.</summary>
    public IProgress<InrProgress>? Progress { get; set; }

    /// <summary>Stops fitting between iterations (Fit then throws <see cref="OperationCanceledException"/>). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> (usually <see cref="ArgumentOutOfRangeException"/>) naming the option.</summary>
    public void Validate()
    {
        CheckName(CoordinatesColumnName, nameof(CoordinatesColumnName));
        CheckName(SignalColumnName, nameof(SignalColumnName));
        CheckName(OutputColumnName, nameof(OutputColumnName));
        if (CoordinatesColumnName == SignalColumnName)
            throw new ArgumentException($"CoordinatesColumnName and SignalColumnName are both '{SignalColumnName}'; they must name different columns.", nameof(SignalColumnName));
        if (TrainingScale is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(TrainingScale), TrainingScale, $"TrainingScale must be between 1 and 64; got {TrainingScale}.");
        ToCoreOptions().Validate();
    }

    /// <summary>The core's options with these values.</summary>
    internal InrOptions ToCoreOptions() => new()
    {
        Backbone = Backbone,
        HiddenLayers = HiddenLayers,
        HiddenSize = HiddenSize,
        Omega0 = Omega0,
        Scale = Scale,
        FourierEncoding = FourierEncoding,
        FourierScale = FourierScale,
        FourierFeatureCount = FourierFeatureCount,
        FourierOctaves = FourierOctaves,
        Iterative = Iterative,
        UseFeedbackNet = UseFeedbackNet,
        UseFuseNet = UseFuseNet,
        FeedbackHiddenSize = FeedbackHiddenSize,
        FeedbackLayers = FeedbackLayers,
        FuseHiddenSize = FuseHiddenSize,
        FuseLayers = FuseLayers,
        Fusion = Fusion,
        Gate = Gate,
        TimeEmbedding = TimeEmbedding,
        Noise = Noise,
        NoiseDistribution = NoiseDistribution,
        TimeSampling = TimeSampling,
        StateNoise = StateNoise,
        Steps = Steps,
        Iterations = Iterations,
        LearningRate = LearningRate,
        HeadLearningRate = HeadLearningRate,
        FinalLearningRateFactor = FinalLearningRateFactor,
        BatchSize = BatchSize,
        MaxFullBatch = MaxFullBatch,
        ChunkSize = ChunkSize,
        Seed = Seed,
        Threads = Threads,
        Device = Device,
        ProgressInterval = ProgressInterval,
    };

    /// <summary>A copy (the estimator keeps its own).</summary>
    internal IINROptions Clone() => (IINROptions)MemberwiseClone();

    private static void CheckName(string? name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} must name a column; got {(name is null ? "null" : $"'{name}'")}.", option);
    }
}
