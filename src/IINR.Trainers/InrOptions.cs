using System.Text.Json.Serialization;
using IINR.Trainers.Backbones;

namespace IINR.Trainers;

/// <summary>
/// Every hyperparameter of an (iterative) implicit neural representation: the backbone, the
/// FeedbackNet/FuseNet heads, training (Alg. 1) and inference (Alg. 2). All of it is stored in a
/// checkpoint. Defaults were chosen by measurement (docs/DEFAULTS.md).
/// </summary>
public sealed record InrOptions
{
    // ---- backbone ----

    /// <summary>The backbone network. Default <see cref="BackboneKind.Siren"/>.</summary>
    public BackboneKind Backbone { get; init; } = BackboneKind.Siren;

    /// <summary>Hidden layers after the first layer (SIREN's convention: 3 gives
    /// D→H→H→H→H→C, four activations). Default 3.</summary>
    public int HiddenLayers { get; init; } = 3;

    /// <summary>Hidden width H. WIRE uses ⌊H/√2⌋ complex units (two reals each). Default 256, at most <see cref="MaxHiddenSize"/>.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>The largest <see cref="HiddenSize"/> accepted.</summary>
    public const int MaxHiddenSize = 65536;

    /// <summary>Frequency ω0 of SIREN, FINER (30 by default) and WIRE (20); null = the backbone's default.</summary>
    public double? Omega0 { get; init; }

    /// <summary>Scale of WIRE's Gaussian envelope s0 (default 10) or of Gauss's activation s (default 10); null = default.
    /// WIRE settings whose complex Gabor layers could amplify beyond float32's range, HiddenLayers·ω0²/(4·s0²) &gt; 88,
    /// are refused by <see cref="Validate"/>.</summary>
    public double? Scale { get; init; }

    /// <summary>FINER: its first layer's biases are drawn from U(−k, k) with k this range (FINER's k). A bias moves a unit
    /// along sin((|z| + 1)·z), whose frequency grows with |z|, so a wider range starts more units at higher frequencies.
    /// Default <see cref="DefaultFinerBiasRange"/>; a finite value ≥ 0. Only initialisation reads it.</summary>
    public double FinerBiasRange { get; init; } = DefaultFinerBiasRange;

    /// <summary>FINER's own <see cref="FinerBiasRange"/>, 1.</summary>
    public const double DefaultFinerBiasRange = 1;

    /// <summary>Frequencies of the Fourier-feature encoding: random Gaussian or positional. Default <see cref="FourierEncoding.Gaussian"/>.</summary>
    public FourierEncoding FourierEncoding { get; init; } = FourierEncoding.Gaussian;

    /// <summary>Standard deviation σ of the Gaussian Fourier-feature frequencies, in cycles per unit of the
    /// coordinates, which span [-1, 1] (Tancik et al. state σ for [0, 1]: their σ is twice this one). Default 10.</summary>
    public double FourierScale { get; init; } = 10;

    /// <summary>Number of Gaussian Fourier frequencies m (the encoding has 2m features). Default 256.</summary>
    public int FourierFeatureCount { get; init; } = 256;

    /// <summary>Octaves L of the positional encoding (2·D·L features); <see cref="FourierFeaturesBackbone.NyquistOctaves"/>
    /// gives the count that reaches a signal's Nyquist frequency. Default 8 (256 samples along an axis).</summary>
    public int FourierOctaves { get; init; } = 8;

    // ---- iterative heads ----

    /// <summary>True: the iterative model FuseNet(FeedbackNet(g_t, x, t), b) ⊙ b; false: the plain
    /// backbone b (same code path, for comparisons). Default true.</summary>
    public bool Iterative { get; init; } = true;

    /// <summary>Ablation switch: use FeedbackNet (otherwise g_t itself is passed on). Default true.</summary>
    public bool UseFeedbackNet { get; init; } = true;

    /// <summary>Ablation switch: use FuseNet (otherwise FeedbackNet's output is the gate). Default true.</summary>
    public bool UseFuseNet { get; init; } = true;

    /// <summary>FeedbackNet hidden width. Default 30 (the paper).</summary>
    public int FeedbackHiddenSize { get; init; } = 30;

    /// <summary>FeedbackNet linear layers (≥ 1). Default 2 (the paper).</summary>
    public int FeedbackLayers { get; init; } = 2;

    /// <summary>FuseNet hidden width. Default 100 (the paper).</summary>
    public int FuseHiddenSize { get; init; } = 100;

    /// <summary>FuseNet linear layers (≥ 1). Default 2 (the paper).</summary>
    public int FuseLayers { get; init; } = 2;

    /// <summary>How FuseNet's output meets b. Default <see cref="FusionMode.Multiplicative"/>.</summary>
    public FusionMode Fusion { get; init; } = FusionMode.Multiplicative;

    /// <summary>FuseNet's output activation. Default <see cref="GateActivation.Identity"/>.</summary>
    public GateActivation Gate { get; init; } = GateActivation.Identity;

    /// <summary>How t enters FeedbackNet. Default <see cref="TimeEmbedding.Raw"/>.</summary>
    public TimeEmbedding TimeEmbedding { get; init; } = TimeEmbedding.Raw;

    /// <summary>Fixed (coordinate-seeded) or resampled Z in training. Default <see cref="NoiseMode.Fixed"/>.</summary>
    public NoiseMode Noise { get; init; } = NoiseMode.Fixed;

    /// <summary>Distribution of Z. Default <see cref="NoiseDistribution.Gaussian"/>.</summary>
    public NoiseDistribution NoiseDistribution { get; init; } = NoiseDistribution.Gaussian;

    /// <summary>t per coordinate or per batch in training. Default <see cref="TimeSampling.PerCoordinate"/>.</summary>
    public TimeSampling TimeSampling { get; init; } = TimeSampling.PerCoordinate;

    /// <summary>ε, the scale of the extra noise ε·t·n in the training state. Default 0.1 (the paper).</summary>
    public double StateNoise { get; init; } = 0.1;

    /// <summary>Inference steps of Alg. 2. Default 2 (the paper); 1 to <see cref="MaxSteps"/>.</summary>
    public int Steps { get; init; } = 2;

    /// <summary>The most inference steps any call accepts.</summary>
    public const int MaxSteps = 1000;

    // ---- training ----

    /// <summary>Training iterations. Default 2000 (the paper).</summary>
    public int Iterations { get; init; } = 2000;

    /// <summary>Adam learning rate at the first iteration; null = the backbone's default
    /// (<see cref="DefaultLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Learning rate of FeedbackNet and FuseNet at the first iteration; null = the backbone's
    /// (<see cref="EffectiveLearningRate"/>). It decays on the same schedule. Default null.</summary>
    public double? HeadLearningRate { get; init; }

    /// <summary>The learning rate decays exponentially to this fraction of its start by the last iteration. Default 0.1.</summary>
    public double FinalLearningRateFactor { get; init; } = 0.1;

    /// <summary>Coordinates per iteration; null = full batch up to <see cref="MaxFullBatch"/>, random batches of that size above.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Largest training set trained full-batch when <see cref="BatchSize"/> is null. Default 262,144 (512²).</summary>
    public int MaxFullBatch { get; init; } = 512 * 512;

    /// <summary>Most rows per forward/backward pass within a batch; gradients are accumulated, so the update is
    /// the full batch's. Keeps every activation small, which bounds memory. The CPU's fused step uses cache-sized
    /// chunks of at most 1,024 rows (fewer when this is smaller); the autograd path on the CPU uses this size.
    /// Default 8192; irrelevant on CUDA, where a batch runs in one pass.</summary>
    public int ChunkSize { get; init; } = 8192;

    /// <summary>Seed of the weights, of Z and of every training draw; null = none given: the core uses 0
    /// (<see cref="EffectiveSeed"/>), the ML.NET catalog its MLContext's seed. A fitted model stores the seed
    /// it used. Default null.</summary>
    public int? Seed { get; init; }

    /// <summary>libtorch intra-op threads for training (process-wide), and the workers of the fused CPU step;
    /// null = keep the current setting (libtorch's default is the number of physical cores). On a shared
    /// machine, give each process its share: two processes each using every core slow each other badly.
    /// Default null.</summary>
    public int? Threads { get; init; }

    /// <summary>Where to run. Default <see cref="ComputeDevice.Auto"/>.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;

    /// <summary>Iterations between progress reports. A report's PSNR is free for a plain network trained on
    /// every row and costs a small subsample's inference otherwise (<see cref="InrProgress.Psnr"/>). Default 25.</summary>
    public int ProgressInterval { get; init; } = 25;

    /// <summary>The learning rate actually used: <see cref="LearningRate"/> or the backbone's default.</summary>
    [JsonIgnore]
    public double EffectiveLearningRate => LearningRate ?? DefaultLearningRate(Backbone);

    /// <summary>Per-backbone default learning rate (measured, docs/DEFAULTS.md).</summary>
    public static double DefaultLearningRate(BackboneKind kind) => kind switch
    {
        BackboneKind.Siren => 1e-3,
        BackboneKind.Wire => 2e-3,
        BackboneKind.Gauss => 5e-3,
        BackboneKind.Finer => 1e-3,
        BackboneKind.FourierFeatures => 1e-3,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown backbone."),
    };

    /// <summary>The seed actually used: <see cref="Seed"/> or 0.</summary>
    [JsonIgnore]
    public int EffectiveSeed => Seed ?? 0;

    /// <summary>ω0 actually used.</summary>
    [JsonIgnore]
    public double EffectiveOmega0 => Omega0 ?? (Backbone == BackboneKind.Wire ? 20 : 30);

    /// <summary>Scale actually used (WIRE s0 or Gauss s).</summary>
    [JsonIgnore]
    public double EffectiveScale => Scale ?? 10;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the option and the value.</summary>
    public void Validate()
    {
        CheckEnum(Backbone, nameof(Backbone));
        CheckEnum(FourierEncoding, nameof(FourierEncoding));
        CheckEnum(Fusion, nameof(Fusion));
        CheckEnum(Gate, nameof(Gate));
        CheckEnum(TimeEmbedding, nameof(TimeEmbedding));
        CheckEnum(Noise, nameof(Noise));
        CheckEnum(NoiseDistribution, nameof(NoiseDistribution));
        CheckEnum(TimeSampling, nameof(TimeSampling));
        CheckEnum(Device, nameof(Device));
        CheckRange(HiddenLayers, 0, 64, nameof(HiddenLayers));
        CheckRange(HiddenSize, Backbone == BackboneKind.Wire ? 2 : 1, MaxHiddenSize, nameof(HiddenSize));
        CheckRange(FourierFeatureCount, 1, 65536, nameof(FourierFeatureCount));
        CheckRange(FourierOctaves, 1, FourierFeaturesBackbone.MaxOctaves, nameof(FourierOctaves));
        CheckRange(FeedbackHiddenSize, 1, 65536, nameof(FeedbackHiddenSize));
        CheckRange(FeedbackLayers, 1, 64, nameof(FeedbackLayers));
        CheckRange(FuseHiddenSize, 1, 65536, nameof(FuseHiddenSize));
        CheckRange(FuseLayers, 1, 64, nameof(FuseLayers));
        CheckRange(Steps, 1, MaxSteps, nameof(Steps));
        CheckRange(Iterations, 1, 100_000_000, nameof(Iterations));
        CheckRange(MaxFullBatch, 1, int.MaxValue, nameof(MaxFullBatch));
        CheckRange(ChunkSize, 1, int.MaxValue, nameof(ChunkSize));
        CheckRange(ProgressInterval, 1, int.MaxValue, nameof(ProgressInterval));
        if (BatchSize is int b) CheckRange(b, 1, int.MaxValue, nameof(BatchSize));
        if (Threads is int th) CheckRange(th, 1, 1024, nameof(Threads));
        CheckPositive(Omega0, nameof(Omega0));
        CheckPositive(Scale, nameof(Scale));
        CheckPositive(FourierScale, nameof(FourierScale));
        CheckPositive(LearningRate, nameof(LearningRate));
        CheckPositive(HeadLearningRate, nameof(HeadLearningRate));
        CheckWireGain();
        if (!double.IsFinite(FinerBiasRange) || FinerBiasRange < 0)
            throw new ArgumentOutOfRangeException(nameof(FinerBiasRange), FinerBiasRange, $"FinerBiasRange must be a finite value ≥ 0; got {FinerBiasRange}.");
        if (!double.IsFinite(StateNoise) || StateNoise < 0)
            throw new ArgumentOutOfRangeException(nameof(StateNoise), StateNoise, "StateNoise must be a finite value ≥ 0.");
        if (!double.IsFinite(FinalLearningRateFactor) || FinalLearningRateFactor <= 0 || FinalLearningRateFactor > 1)
            throw new ArgumentOutOfRangeException(nameof(FinalLearningRateFactor), FinalLearningRateFactor, "FinalLearningRateFactor must be in (0, 1].");
    }

    /// <summary>ln of float32's largest value (3.4·10³⁸) rounded down: the largest gain exponent WIRE may reach.</summary>
    const double MaxFloatExponent = 88;

    // A complex Gabor unit, |exp(iω0·z − |s0·z|²)| = exp(−ω0·Im z − s0²·|z|²), peaks at exp(ω0²/(4·s0²)) (at
    // Im z = −ω0/(2·s0²)); the backward pass multiplies the gains of all HiddenLayers complex layers (the first
    // layer is real, its gain at most 1). Settings whose total gain float32 cannot hold are refused.
    void CheckWireGain()
    {
        if (Backbone != BackboneKind.Wire || HiddenLayers == 0) return;
        double w = EffectiveOmega0, s0 = EffectiveScale;
        double exponent = HiddenLayers * w * w / (4 * s0 * s0);
        if (exponent > MaxFloatExponent)
        {
            double minScale = w * Math.Sqrt(HiddenLayers / (4 * MaxFloatExponent));
            throw new ArgumentOutOfRangeException(nameof(Scale), s0, FormattableString.Invariant(
                $"WIRE with Omega0 = {w:G4} and Scale (s0) = {s0:G4} cannot be represented in float32: each of its {HiddenLayers} complex Gabor layers can amplify by exp(ω0²/(4·s0²)) = e^{w * w / (4 * s0 * s0):F1}, together e^{exponent:F0}, beyond float32's largest value (about e^88). Use Scale ≥ {minScale:G3} for this Omega0 (WIRE's own settings keep ω0/s0 ≤ 2)."));
        }
    }

    static void CheckEnum<T>(T value, string name) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} is not one of: {string.Join(", ", Enum.GetNames<T>())}.");
    }

    static void CheckRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}; got {value}.");
    }

    static void CheckPositive(double? value, string name)
    {
        if (value is double v && (!double.IsFinite(v) || v <= 0))
            throw new ArgumentOutOfRangeException(name, v, $"{name} must be a finite value > 0; got {v}.");
    }
}
