using System.CommandLine;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary>Range checks reported by the parser with the option's own name.</summary>
internal static class OptionValidation
{
    // A token that does not parse is reported by the parser itself; the range check then has nothing to say.
    static bool TryGet<T>(System.CommandLine.Parsing.OptionResult r, out T? value)
    {
        try { value = r.GetValueOrDefault<T>(); return true; }
        catch (InvalidOperationException) { value = default; return false; }
    }

    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (!TryGet<int>(r, out int v)) return;
            if (v < min || v > max) r.AddError($"{option.Name} must be between {min} and {max}; got {v}.");
        });
        return option;
    }

    public static Option<int?> InRange(this Option<int?> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (TryGet<int?>(r, out int? value) && value is int v && (v < min || v > max)) r.AddError($"{option.Name} must be between {min} and {max}; got {v}.");
        });
        return option;
    }

    public static Option<double> Positive(this Option<double> option, double max = double.MaxValue)
    {
        option.Validators.Add(r =>
        {
            if (!TryGet<double>(r, out double v)) return;
            if (!(v > 0) || !double.IsFinite(v) || v > max) r.AddError($"{option.Name} must be a finite value > 0{(max < double.MaxValue ? $" and ≤ {max}" : "")}; got {v}.");
        });
        return option;
    }

    public static Option<double?> Positive(this Option<double?> option)
    {
        option.Validators.Add(r =>
        {
            if (TryGet<double?>(r, out double? value) && value is double v && (!(v > 0) || !double.IsFinite(v))) r.AddError($"{option.Name} must be a finite value > 0; got {v}.");
        });
        return option;
    }
}

/// <summary>
/// The model and training options shared by the training commands. Each command starts from its task preset
/// (<see cref="IINROptions.ForFitting(BackboneKind)"/> and its siblings) and applies the flags given; the library validates the
/// result, and <see cref="OptionFlags"/> turns a rejected option back into its flag.
/// </summary>
internal sealed class TrainingOptionSet
{
    public static readonly string[] BackboneNames = ["siren", "wire", "gauss", "finer", "fourier"];
    /// <summary>--gate's values: <see cref="GateActivation"/>'s names in kebab case.</summary>
    public static readonly string[] GateNames = ["identity", "two-sigmoid", "one-plus-tanh"];

    readonly Func<BackboneKind, IINROptions> _preset;
    readonly int? _iterations;

    /// <param name="preset">The command's task preset.</param>
    /// <param name="iterations">The default iterations when not the preset's.</param>
    /// <param name="steps">Whether the command has a numeric --steps.</param>
    /// <param name="baseline">Whether the command has --baseline.</param>
    public TrainingOptionSet(Func<BackboneKind, IINROptions> preset, int? iterations = null, bool steps = true, bool baseline = true)
    {
        _preset = preset;
        _iterations = iterations;
        var defaults = preset(BackboneKind.Siren).Model;
        Backbone = new Option<string>("--backbone", "-b")
        {
            Description = "Backbone network: siren, wire, gauss, finer or fourier (random Fourier features + ReLU).",
            DefaultValueFactory = _ => "siren",
        };
        Backbone.AcceptOnlyFromAmong(BackboneNames);
        if (baseline)
            Baseline = new Option<bool>("--baseline") { Description = "Fit the plain backbone (no FeedbackNet/FuseNet, no iterative inference), for comparison." };
        // No fixed defaults: the preset may differ per backbone, so these fall back to the chosen backbone's preset.
        Iterations = new Option<int?>("--iterations", "-n") { Description = iterations is int n ? $"Training iterations. Default: {n}." : $"Training iterations. Default: the task preset's ({defaults.Iterations} for SIREN)." };
        HiddenLayers = new Option<int?>("--hidden-layers") { Description = $"Hidden layers after the first (3 gives D→H→H→H→H→C). Default: the task preset's ({defaults.HiddenLayers} for SIREN)." };
        HiddenSize = new Option<int?>("--hidden-size") { Description = $"Hidden width H (WIRE uses ⌊H/√2⌋ complex units). Default: the task preset's ({defaults.HiddenSize} for SIREN)." };
        if (steps)
            Steps = new Option<int>("--steps") { Description = "Inference steps of the iterative model (Alg. 2).", DefaultValueFactory = _ => defaults.Steps };
        Omega0 = new Option<double?>("--omega0") { Description = "Frequency ω0 of SIREN and FINER (default 30) and of WIRE (default 20)." };
        Scale = new Option<double?>("--sigma0") { Description = "WIRE's envelope scale s0 / Gauss's scale s (default 10)." };
        LearningRate = new Option<double?>("--learning-rate", "--lr") { Description = "Adam learning rate at the start (decays to 0.1×); default: per backbone (SIREN/FINER/Fourier 1e-3, WIRE 2e-3, Gauss 5e-3)." };
        HeadLearningRate = new Option<double?>("--head-learning-rate", "--head-lr") { Description = "Adam learning rate of the iterative model's FeedbackNet and FuseNet (decays like the backbone's); default: the task preset's, else the backbone's rate." };
        FourierEncoding = new Option<string?>("--fourier-encoding")
        {
            Description = "Fourier features' encoding: gaussian (m random frequencies of standard deviation --fourier-sigma) or positional " +
                "(NeRF's octaves 1, 2, 4, … per axis, --fourier-octaves of them). Default: gaussian.",
        };
        FourierEncoding.AcceptOnlyFromAmong("gaussian", "positional");
        FourierFeatures = new Option<int?>("--fourier-features") { Description = $"Fourier features' Gaussian frequency count m (2·m encoded inputs). Default: {defaults.FourierFeatureCount}." };
        FourierSigma = new Option<double?>("--fourier-sigma")
        {
            Description = $"Standard deviation σ of Fourier features' Gaussian frequencies, in cycles per unit of coordinates spanning [-1, 1]. Default: the task preset's ({TaskPresets.Fitting(BackboneKind.FourierFeatures).FourierScale:0.###} for fit).",
        };
        FourierOctaves = new Option<int?>("--fourier-octaves")
        {
            Description = $"Octaves L of the positional encoding (2·D·L encoded inputs); ⌊log2 N⌋ reaches the Nyquist frequency of N samples along an axis. Default: {defaults.FourierOctaves}.",
        };
        FinerBiasRange = new Option<double?>("--finer-bias-range")
        {
            Description = $"FINER's first-layer biases are drawn from U(−k, k): a wider range starts more units at higher frequencies. Default: the task preset's ({TaskPresets.Fitting(BackboneKind.Finer).FinerBiasRange:0.###} for fit, {TaskPresets.SuperResolution(BackboneKind.Finer).FinerBiasRange:0.###} for superres).",
        };
        Z = new Option<string?>("--z")
        {
            Description = "Z in training: fixed (one draw per coordinate, reused every iteration and at inference; the paper's reading) or resampled " +
                "(a fresh draw every iteration, so the heads cannot tie detail to one coordinate's Z). Default: the task preset's (" +
                $"{defaults.Noise.ToString().ToLowerInvariant()} for SIREN).",
        };
        Z.AcceptOnlyFromAmong("fixed", "resampled");
        Gate = new Option<string?>("--gate")
        {
            Description = "The activation on FuseNet's output, the gate that multiplies the backbone: identity (unbounded) or a gate in (0, 2) around 1, " +
                "two-sigmoid (2·sigmoid) or one-plus-tanh (1 + tanh). Default: the task preset's (identity; two-sigmoid for fourier in fit, superres and denoise; one-plus-tanh for finer in superres).",
        };
        Gate.AcceptOnlyFromAmong(GateNames);
        Seed = new Option<int>("--seed") { Description = "Seed of the weights, of Z and of every training draw (and of the occupancy points sampled for training).", DefaultValueFactory = _ => 0 };
        Device = new Option<string>("--device") { Description = "Where to train: auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        Device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        Threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: libtorch's choice, the physical cores)." };
    }

    public Option<string> Backbone { get; }
    public Option<bool>? Baseline { get; }
    public Option<int?> Iterations { get; }
    public Option<int?> HiddenLayers { get; }
    public Option<int?> HiddenSize { get; }
    public Option<int>? Steps { get; }
    public Option<double?> Omega0 { get; }
    public Option<double?> Scale { get; }
    public Option<double?> LearningRate { get; }
    public Option<double?> HeadLearningRate { get; }
    public Option<string?> FourierEncoding { get; }
    public Option<int?> FourierFeatures { get; }
    public Option<double?> FourierSigma { get; }
    public Option<int?> FourierOctaves { get; }
    public Option<double?> FinerBiasRange { get; }
    public Option<string?> Z { get; }
    public Option<string?> Gate { get; }
    public Option<int> Seed { get; }
    public Option<string> Device { get; }
    public Option<int?> Threads { get; }

    /// <summary>The options, in the order help lists them.</summary>
    public IEnumerable<Option> All =>
        new Option?[] { Backbone, Baseline, Iterations, HiddenLayers, HiddenSize, Steps, Omega0, Scale, LearningRate, HeadLearningRate, FourierEncoding, FourierFeatures, FourierSigma, FourierOctaves, FinerBiasRange, Z, Gate, Seed, Device, Threads }.OfType<Option>();

    /// <summary>The command's preset (or <paramref name="preset"/>, e.g. one sized to the input) with the flags given,
    /// validated by the library (an invalid value is an <see cref="ArgumentException"/> naming the option, which
    /// <see cref="CliApp"/> reports with its flag).</summary>
    public IINROptions Build(ParseResult r, CancellationToken cancellationToken, Func<BackboneKind, IINROptions>? preset = null)
    {
        var options = (preset ?? _preset)(ParseBackbone(r.GetValue(Backbone)!));
        var m = options.Model;
        int iterations = r.GetValue(Iterations) ?? _iterations ?? m.Iterations;
        options.Model = m with
        {
            Iterative = Baseline is null || !r.GetValue(Baseline),
            Iterations = iterations,
            HiddenLayers = r.GetValue(HiddenLayers) ?? m.HiddenLayers,
            HiddenSize = r.GetValue(HiddenSize) ?? m.HiddenSize,
            Steps = Steps is null ? m.Steps : r.GetValue(Steps),
            Omega0 = r.GetValue(Omega0) ?? m.Omega0,
            Scale = r.GetValue(Scale) ?? m.Scale,
            LearningRate = r.GetValue(LearningRate) ?? m.LearningRate,
            HeadLearningRate = r.GetValue(HeadLearningRate) ?? m.HeadLearningRate,
            FourierEncoding = r.GetValue(FourierEncoding) is string encoding ? Enum.Parse<FourierEncoding>(encoding, ignoreCase: true) : m.FourierEncoding, // the parser accepts only the two names
            FourierFeatureCount = r.GetValue(FourierFeatures) ?? m.FourierFeatureCount,
            FourierScale = r.GetValue(FourierSigma) ?? m.FourierScale,
            FourierOctaves = r.GetValue(FourierOctaves) ?? m.FourierOctaves,
            FinerBiasRange = r.GetValue(FinerBiasRange) ?? m.FinerBiasRange,
            Noise = r.GetValue(Z) is string z ? Enum.Parse<NoiseMode>(z, ignoreCase: true) : m.Noise, // the parser accepts only the two names
            Gate = r.GetValue(Gate) is string gate ? Enum.Parse<GateActivation>(gate.Replace("-", ""), ignoreCase: true) : m.Gate, // likewise, GateNames
            Seed = r.GetValue(Seed),
            Device = ParseDevice(r.GetValue(Device)!),
            Threads = r.GetValue(Threads),
            // About 20 curve points (each costs one inference pass over the training grid), at most every 25 iterations.
            ProgressInterval = Math.Clamp(iterations / 20, 1, 25),
        };
        options.CancellationToken = cancellationToken;
        options.Validate();
        return options;
    }

    public static BackboneKind ParseBackbone(string name) => name.ToLowerInvariant() switch
    {
        "siren" => BackboneKind.Siren,
        "wire" => BackboneKind.Wire,
        "gauss" => BackboneKind.Gauss,
        "finer" => BackboneKind.Finer,
        "fourier" => BackboneKind.FourierFeatures,
        _ => throw new UsageException($"--backbone must be one of {string.Join(", ", BackboneNames)}; got '{name}'."),
    };

    public static ComputeDevice ParseDevice(string name) => name.ToLowerInvariant() switch
    {
        "auto" => ComputeDevice.Auto,
        "cpu" => ComputeDevice.Cpu,
        "cuda" => ComputeDevice.Cuda,
        _ => throw new UsageException($"--device must be auto, cpu or cuda; got '{name}'."),
    };

    /// <summary>"SIREN", "I-SIREN", … for messages.</summary>
    public static string DisplayName(InrOptions o)
    {
        string b = o.Backbone switch
        {
            BackboneKind.Siren => "SIREN",
            BackboneKind.Wire => "WIRE",
            BackboneKind.Gauss => "Gauss",
            BackboneKind.Finer => "FINER",
            _ => "FourierFeatures",
        };
        return o.Iterative ? "I-" + b : b;
    }
}

/// <summary>--report and --quiet.</summary>
internal sealed class OutputOptionSet
{
    public Option<string?> Report { get; } = new("--report") { Description = "Write the results as JSON to this file." };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print nothing but errors (no progress, no summary)." };

    /// <summary>The options, in the order help lists them.</summary>
    public IEnumerable<Option> All => [Report, Quiet];
}

/// <summary>Builds a command from its options and action (System.CommandLine's wiring, once).</summary>
internal static class CommandBuilder
{
    /// <summary>A command named <paramref name="name"/> with <paramref name="options"/> in order, run by <paramref name="action"/>.</summary>
    public static Command Build(string name, string description, Func<ParseResult, int> action, params IEnumerable<Option> options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Add(option);
        command.SetAction(action);
        return command;
    }
}

/// <summary>
/// The flag behind each option and parameter the library validates: the library names a rejected value by its
/// <see cref="ArgumentException.ParamName"/> (an <see cref="InrOptions"/> or <see cref="IINROptions"/> property, or a
/// task's parameter), and the message reaches the user with the flag instead.
/// </summary>
internal static class OptionFlags
{
    static readonly Dictionary<string, string> FlagOf = new(StringComparer.Ordinal)
    {
        [nameof(InrOptions.Iterations)] = "--iterations",
        [nameof(InrOptions.HiddenLayers)] = "--hidden-layers",
        [nameof(InrOptions.HiddenSize)] = "--hidden-size",
        [nameof(InrOptions.Steps)] = "--steps",
        [nameof(InrOptions.Omega0)] = "--omega0",
        [nameof(InrOptions.Scale)] = "--sigma0",
        [nameof(InrOptions.LearningRate)] = "--learning-rate",
        [nameof(InrOptions.HeadLearningRate)] = "--head-learning-rate",
        [nameof(InrOptions.FourierFeatureCount)] = "--fourier-features",
        [nameof(InrOptions.FourierScale)] = "--fourier-sigma",
        [nameof(InrOptions.FourierOctaves)] = "--fourier-octaves",
        [nameof(InrOptions.FinerBiasRange)] = "--finer-bias-range",
        [nameof(InrOptions.Noise)] = "--z",
        [nameof(InrOptions.Gate)] = "--gate",
        [nameof(InrOptions.Threads)] = "--threads",
        [nameof(InrOptions.BatchSize)] = "--batch-size",
        [nameof(IINROptions.TrainingScale)] = "--train-scale",
        [nameof(IINROptions.BackProjectionRounds)] = "--back-projection",
        ["scale"] = "--scale",             // IINRCatalog.SuperResolve
        ["holdOutFraction"] = "--hold-out", // IINRCatalog.Denoise
        ["steps"] = "--steps",             // IINRTransformer.WithSteps
        ["tau"] = "--photon",              // NoiseSimulator.AddPhotonNoise
    };

    /// <summary>The one-line message of <paramref name="e"/>, naming the flag of <paramref name="command"/> that set the
    /// rejected value; null when the value does not come from one of its flags.</summary>
    public static string? Describe(ArgumentException e, Command command)
    {
        if (e.ParamName is not { } name || !FlagOf.TryGetValue(name, out var flag) || !command.Options.Any(o => o.Name == flag))
            return null;
        string message = ErrorText.OneLine(e);
        return message.StartsWith(name + " ", StringComparison.Ordinal) ? flag + message[name.Length..] : $"{flag}: {message}";
    }
}
