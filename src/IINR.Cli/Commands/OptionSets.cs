using System.CommandLine;
using IINR.Trainers;
using IINR.Trainers.Backbones;

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

/// <summary>The model and training options shared by the training commands.</summary>
internal sealed class TrainingOptionSet
{
    public static readonly string[] BackboneNames = ["siren", "wire", "gauss", "finer", "fourier"];

    public TrainingOptionSet(int iterations, int hiddenSize = Defaults.HiddenSize, bool steps = true, bool baseline = true)
    {
        Backbone = new Option<string>("--backbone", "-b")
        {
            Description = "Backbone network: siren, wire, gauss, finer or fourier (random Fourier features + ReLU).",
            DefaultValueFactory = _ => Defaults.Backbone,
        };
        Backbone.AcceptOnlyFromAmong(BackboneNames);
        if (baseline)
            Baseline = new Option<bool>("--baseline") { Description = "Fit the plain backbone (no FeedbackNet/FuseNet, no iterative inference), for comparison." };
        Iterations = new Option<int>("--iterations", "-n") { Description = "Training iterations.", DefaultValueFactory = _ => iterations }.InRange(1, 10_000_000);
        HiddenLayers = new Option<int>("--hidden-layers") { Description = "Hidden layers after the first (3 gives D→H→H→H→H→C).", DefaultValueFactory = _ => Defaults.HiddenLayers }.InRange(0, 64);
        HiddenSize = new Option<int>("--hidden-size") { Description = "Hidden width H (WIRE uses ⌊H/√2⌋ complex units).", DefaultValueFactory = _ => hiddenSize }.InRange(2, 65536);
        if (steps)
            Steps = new Option<int>("--steps") { Description = "Inference steps of the iterative model (Alg. 2).", DefaultValueFactory = _ => new InrOptions().Steps }.InRange(1, 1000);
        Omega0 = new Option<double?>("--omega0") { Description = "Frequency ω0 of SIREN and FINER (default 30) and of WIRE (default 20)." }.Positive();
        Scale = new Option<double?>("--sigma0") { Description = "WIRE's envelope scale s0 / Gauss's scale s (default 10)." }.Positive();
        LearningRate = new Option<double?>("--learning-rate", "--lr") { Description = "Adam learning rate at the start (decays to 0.1×); default: per backbone (SIREN/FINER/Fourier 1e-3, WIRE 2e-3, Gauss 5e-3)." }.Positive();
        Seed = new Option<int>("--seed") { Description = "Seed of the weights, of Z and of every training draw.", DefaultValueFactory = _ => 0 };
        Device = new Option<string>("--device") { Description = "Where to train: auto (CUDA when available), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        Device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        Threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: libtorch's choice, the physical cores)." }.InRange(1, 1024);
    }

    public Option<string> Backbone { get; }
    public Option<bool>? Baseline { get; }
    public Option<int> Iterations { get; }
    public Option<int> HiddenLayers { get; }
    public Option<int> HiddenSize { get; }
    public Option<int>? Steps { get; }
    public Option<double?> Omega0 { get; }
    public Option<double?> Scale { get; }
    public Option<double?> LearningRate { get; }
    public Option<int> Seed { get; }
    public Option<string> Device { get; }
    public Option<int?> Threads { get; }

    public void AddTo(Command command)
    {
        command.Add(Backbone);
        if (Baseline is not null) command.Add(Baseline);
        command.Add(Iterations); command.Add(HiddenLayers); command.Add(HiddenSize);
        if (Steps is not null) command.Add(Steps);
        command.Add(Omega0); command.Add(Scale); command.Add(LearningRate); command.Add(Seed); command.Add(Device); command.Add(Threads);
    }

    /// <summary>The options from the command line.</summary>
    public InrOptions Build(ParseResult r)
    {
        var options = new InrOptions
        {
            Backbone = ParseBackbone(r.GetValue(Backbone)!),
            Iterative = Baseline is null || !r.GetValue(Baseline),
            Iterations = r.GetValue(Iterations),
            HiddenLayers = r.GetValue(HiddenLayers),
            HiddenSize = r.GetValue(HiddenSize),
            Steps = Steps is null ? new InrOptions().Steps : r.GetValue(Steps),
            Omega0 = r.GetValue(Omega0),
            Scale = r.GetValue(Scale),
            LearningRate = r.GetValue(LearningRate),
            Seed = r.GetValue(Seed),
            Device = ParseDevice(r.GetValue(Device)!),
            Threads = r.GetValue(Threads),
        };
        // About 20 curve points (each costs one inference pass over the training grid), at most every 25 iterations.
        options = options with { ProgressInterval = Math.Clamp(options.Iterations / 20, 1, 25) };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new UsageException(ErrorText.OneLine(e)); }
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

    public void AddTo(Command command)
    {
        command.Add(Report);
        command.Add(Quiet);
    }
}
