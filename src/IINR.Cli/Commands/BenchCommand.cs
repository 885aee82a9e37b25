using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using IINR.Cli.Bench;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr bench</c>: the paper's tables at CPU scale, and the speed of plain vs iterative.</summary>
internal sealed class BenchCommand
{
    readonly CliContext _ctx;
    readonly Option<string[]> _suite = new("--suite", "-s")
    {
        Description = "Suites to run: fit, sr, denoise, occupancy, ablation, steps, speed, throughput, restoration, or all (repeat the option or separate by commas); grid (every backbone × every task, with failure lines) runs only when named.",
        DefaultValueFactory = _ => ["all"],
        AllowMultipleArgumentsPerToken = true,
    };
    readonly Option<bool> _quick = new("--quick") { Description = "Small sizes and few iterations: every suite in under 10 minutes on 2 CPU cores (checks the machinery, not the paper's claims)." };
    readonly Option<string?> _images = new("--images") { Description = "Directory of images (PNG/JPEG/BMP; centre-cropped square, area-resized to --size). Default: the generated set." };
    readonly Option<string?> _imageSet = new("--image-set", "--restoration-images") { Description = "Which images of --images the suites use: 'tuning' or 'keptout' (the development set's split, by file name). Default: all of them." };
    readonly Option<string?> _restorationSr = new("--restoration-sr") { Description = "Observed sides of the restoration suite's 4× super-resolution, comma-separated, or none. Default: 32,64 (12 with --quick)." };
    readonly Option<string?> _restorationDenoise = new("--restoration-denoise") { Description = "Photon levels τ of the restoration suite's denoising, comma-separated, or none. Default: 30,100 (30 with --quick)." };
    readonly Option<int?> _imageCount = new Option<int?>("--image-count") { Description = "Generated images to use (the scene and up to 4 zoomed crops). Default: 2 (1 with --quick)." }.InRange(1, 5);
    readonly Option<int?> _size = new Option<int?>("--size") { Description = "Image side in pixels (a multiple of 4). Default: 128 (48 with --quick)." }.InRange(8, 4096);
    readonly Option<int?> _iterations = new("--iterations", "-n") { Description = "Training iterations of every fit. Default: 300 (60 with --quick)." };
    readonly Option<string?> _backbones = new("--backbones") { Description = "Backbones of the fit, sr, denoise and occupancy suites, comma-separated (siren, wire, gauss, finer, fourier). Default: all five for fit and sr, the paper's three for denoise and occupancy." };
    readonly Option<int> _seeds = new Option<int>("--seeds") { Description = "Seeds per configuration in the fit suite (mean ± std and a paired sign test).", DefaultValueFactory = _ => 1 }.InRange(1, 100);
    readonly Option<int?> _hiddenLayers = new("--hidden-layers") { Description = "Backbone hidden layers. Default: 3 (2 with --quick)." };
    readonly Option<double?> _weightsPerValue = new("--weights-per-value") { Description = "Fit suite: size each image's backbone width to this many weights per signal value instead of --hidden-size (the paper's Kodak runs: 0.23)." };
    readonly Option<int?> _hiddenSize = new("--hidden-size") { Description = "Backbone width. Default: 128 (64 with --quick)." };
    readonly Option<int?> _resolution = new Option<int?>("--resolution") { Description = "Occupancy grid side R (also scored on the 2R grid). Default: 48 (24 with --quick)." }.InRange(4, OccupancyFitOptions.MaxResolution);
    readonly Option<string> _occupancyTrain = new("--occupancy-train") { Description = "What the occupancy suite trains on: 'sampled' points in continuous space, or the R³ 'grid' (the paper's protocol).", DefaultValueFactory = _ => "sampled" };
    readonly Option<string[]> _meshes = new("--mesh") { Description = "Extra closed OBJ meshes for the occupancy suite.", AllowMultipleArgumentsPerToken = true };
    readonly Option<string?> _speedSizes = new("--speed-sizes") { Description = "Image sides of the speed suite, comma-separated. Default: 128,256 (64,128 with --quick)." };
    readonly Option<int?> _threads = new("--threads") { Description = "libtorch CPU threads (default: libtorch's choice, the physical cores)." };
    readonly Option<string> _device = new("--device") { Description = "auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
    readonly Option<string> _out = new("--out", "-o") { Description = "Directory for results.md and results.json.", DefaultValueFactory = _ => "iinr-bench" };
    readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print nothing but errors and the output paths." };

    BenchCommand(CliContext ctx) => _ctx = ctx;

    public static Command Create(CliContext ctx)
    {
        var c = new BenchCommand(ctx);
        c._device.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        c._occupancyTrain.AcceptOnlyFromAmong("sampled", "grid");
        c._imageSet.AcceptOnlyFromAmong("tuning", "keptout");
        return CommandBuilder.Build("bench", "Reproduce the paper's comparisons at CPU scale (plain vs I-version at equal iterations and size) and measure speed; writes results.md and results.json.", c.Run,
            [c._suite, c._quick, c._images, c._imageSet, c._restorationSr, c._restorationDenoise, c._imageCount, c._size, c._iterations, c._backbones, c._seeds, c._hiddenLayers, c._hiddenSize, c._weightsPerValue, c._resolution, c._occupancyTrain, c._meshes, c._speedSizes, c._threads, c._device, c._out, c._quiet]);
    }

    static BackboneKind ParseBackboneName(string name)
    {
        try { return TrainingOptionSet.ParseBackbone(name); }
        catch (UsageException) { throw new UsageException($"--backbones must list names among siren, wire, gauss, finer, fourier; got '{name}'."); }
    }

    int Run(ParseResult r)
    {
        var suites = ParseSuites(r.GetValue(_suite)!);
        bool quick = r.GetValue(_quick);
        string outDir = r.GetValue(_out)!;
        var s = quick ? BenchSettings.Quick(suites, outDir) : BenchSettings.Full(suites, outDir);
        // Iterations or a network size on the command line: the suites that otherwise train at a preset's scale take them.
        bool scaleGiven = r.GetValue(_iterations) is not null || r.GetValue(_hiddenLayers) is not null || r.GetValue(_hiddenSize) is not null;
        s = s with
        {
            ImagesDirectory = r.GetValue(_images),
            ImageSet = r.GetValue(_imageSet),
            RestorationLowSides = ParseList(r.GetValue(_restorationSr), "--restoration-sr", 4, 1024) ?? s.RestorationLowSides,
            RestorationTaus = ParseList(r.GetValue(_restorationDenoise), "--restoration-denoise", 1, 100_000)?.Select(v => (double)v).ToArray() ?? s.RestorationTaus,
            ImageCount = r.GetValue(_imageCount) ?? s.ImageCount,
            Size = r.GetValue(_size) ?? s.Size,
            Iterations = r.GetValue(_iterations) ?? s.Iterations,
            Seeds = r.GetValue(_seeds),
            HiddenLayers = r.GetValue(_hiddenLayers) ?? s.HiddenLayers,
            HiddenSize = r.GetValue(_hiddenSize) ?? s.HiddenSize,
            FitWeightsPerValue = r.GetValue(_weightsPerValue),
            OccupancyResolution = r.GetValue(_resolution) ?? s.OccupancyResolution,
            OccupancyTraining = r.GetValue(_occupancyTrain) == "grid" ? OccupancyTrainingPoints.Grid : OccupancyTrainingPoints.Sampled,
            OccupancyAtPreset = !quick && !scaleGiven,
            GridFitAtPaperRegime = !quick && !scaleGiven && r.GetValue(_size) is null && r.GetValue(_weightsPerValue) is null,
            Meshes = r.GetValue(_meshes) ?? [],
            SpeedSizes = ParseList(r.GetValue(_speedSizes), "--speed-sizes", 2, 4096, allowNone: false) ?? s.SpeedSizes,
            Threads = r.GetValue(_threads),
            Device = TrainingOptionSet.ParseDevice(r.GetValue(_device)!),
            Backbones = r.GetValue(_backbones) is string b
                ? b.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseBackboneName).Distinct().ToArray()
                : null,
        };
        if (s.FitWeightsPerValue is double ratio && !(ratio > 0 && ratio <= 1000))
            throw new UsageException($"--weights-per-value must be a number above 0 and at most 1000; got {ratio}.");
        if (s.Backbones is { Count: 0 }) throw new UsageException("--backbones names no backbone.");
        if (s.ImageSet is not null && s.ImagesDirectory is null)
            throw new UsageException("--image-set chooses among the files of --images; give --images too.");
        if (s.Size % 4 != 0) throw new UsageException($"--size must be a multiple of 4 (super-resolution observes size/4); got {s.Size}.");
        foreach (var mesh in s.Meshes)
            if (!File.Exists(mesh)) throw new FileNotFoundException($"--mesh file '{mesh}' was not found.", mesh);
        bool quiet = r.GetValue(_quiet);
        // Every fit starts from these values: the library checks them (a rejected one is reported with its flag).
        s.Options(IINROptions.ForFitting).Validate();

        var report = new BenchReport();
        if (s.Threads is int t) TorchRuntime.Threads = t;
        report.Header(s, Machine());
        var clock = Stopwatch.StartNew();
        new BenchRunner(s, report, quiet ? null : _ctx.Out, _ctx.Cancellation).Run();
        double seconds = clock.Elapsed.TotalSeconds;
        report.Line($"Total run time: {seconds:F0} s (`iinr bench --suite {string.Join(',', suites)}{(quick ? " --quick" : "")}`).");
        report.Json["totalSeconds"] = seconds;
        var (md, json) = report.Write(outDir);
        if (!quiet) _ctx.Out.WriteLine(report.Markdown);
        _ctx.Out.WriteLine($"bench finished in {seconds:F0} s; wrote {md} and {json}");
        return ExitCodes.Success;
    }

    // A comma-separated list of whole numbers from min to max, or null when the flag is absent; with allowNone,
    // "none" gives an empty list (a suite part to skip).
    static int[]? ParseList(string? text, string flag, int min, int max, bool allowNone = true)
    {
        if (text is null) return null;
        if (allowNone && text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        string expected = $"comma-separated whole numbers from {min} to {max}{(allowNone ? ", or none" : "")}";
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out values[i]) || values[i] < min || values[i] > max)
                throw new UsageException($"{flag} must be {expected}; got '{text}'.");
        return parts.Length == 0 ? throw new UsageException($"{flag} is empty{(allowNone ? " (write none to skip)" : "")}.") : values;
    }

    static List<string> ParseSuites(string[] values)
    {
        var list = new List<string>();
        foreach (var v in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            string s = v.ToLowerInvariant();
            if (s == "all") { list.AddRange(BenchSettings.AllSuites); continue; }
            if (!BenchSettings.AllSuites.Contains(s) && !BenchSettings.NamedOnlySuites.Contains(s))
                throw new UsageException($"--suite must be one of {string.Join(", ", BenchSettings.AllSuites.Concat(BenchSettings.NamedOnlySuites))} or all; got '{v}'.");
            list.Add(s);
        }
        return list.Distinct().ToList();
    }

    static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, libtorch threads {TorchRuntime.Threads}, " +
            $"device {(TorchRuntime.CudaAvailable ? "CUDA available" : "CPU only")}";
    }
}
