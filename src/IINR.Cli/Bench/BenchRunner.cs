using System.Diagnostics;
using System.Text.Json.Nodes;
using IINR.Cli.Batch;
using IINR.Cli.Commands;
using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Bench;

/// <summary>
/// Runs the benchmark suites: the paper's claims (fitting, super-resolution, denoising, occupancy,
/// ablation, inference steps) turned into plain-vs-iterative comparisons at equal iterations and
/// equal backbone size, and the speed of both against the machine's GEMM throughput. The quality suites run the
/// library's tasks (<see cref="IINRCatalog"/>) from its task presets, as the commands do.
/// </summary>
public sealed class BenchRunner
{
    static readonly BackboneKind[] EveryBackbone = Enum.GetValues<BackboneKind>();
    static readonly BackboneKind[] ThePapersBackbones = [BackboneKind.Siren, BackboneKind.Wire, BackboneKind.Gauss];

    // --backbones narrows every suite that loops over backbones.
    IEnumerable<BackboneKind> AllBackbones => _s.Backbones is { } chosen ? EveryBackbone.Where(chosen.Contains) : EveryBackbone;
    IEnumerable<BackboneKind> PaperBackbones => _s.Backbones is { } chosen ? EveryBackbone.Where(chosen.Contains) : ThePapersBackbones;

    // The paper's Kodak fitting PSNR (plain, I-version), dB.
    static readonly Dictionary<BackboneKind, (double Plain, double Iterative)> PaperFit = new()
    {
        [BackboneKind.Siren] = (34.57, 37.53),
        [BackboneKind.Wire] = (32.15, 33.73),
        [BackboneKind.Gauss] = (31.33, 31.93),
    };

    readonly BenchSettings _s;
    readonly BenchReport _report;
    readonly TextWriter? _log;
    readonly CancellationToken _ct;
    readonly IINRCatalog _iinr = new MLContext().Transforms.IINR;
    IReadOnlyList<(string Name, SignalImage Image)> _images = [];

    /// <summary>Creates a runner writing results into <paramref name="report"/> and one line per fit to <paramref name="log"/>.</summary>
    public BenchRunner(BenchSettings settings, BenchReport report, TextWriter? log, CancellationToken cancellationToken = default)
    {
        _s = settings; _report = report; _log = log; _ct = cancellationToken;
    }

    /// <summary>Runs the suites of the settings, in order.</summary>
    public void Run()
    {
        _images = BenchImages.Load(_s.ImagesDirectory, _s.Size, _s.ImageCount, _s.ImageSet);
        foreach (var suite in _s.Suites)
        {
            var clock = Stopwatch.StartNew();
            switch (suite)
            {
                case "fit": Fit(); break;
                case "sr": SuperResolution(); break;
                case "denoise": Denoise(); break;
                case "occupancy": Occupancy(); break;
                case "ablation": Ablation(); break;
                case "steps": Steps(); break;
                case "speed": Speed(); break;
                case "throughput": Throughput(); break;
                case "restoration": new RestorationBenchmark(_s, _report, _iinr, PaperBackbones.ToList(), Log, _ct).Run(); break;
                case "grid": Grid(); break;
                default: throw new ArgumentException($"Unknown suite '{suite}': expected one of {string.Join(", ", BenchSettings.AllSuites.Concat(BenchSettings.NamedOnlySuites))} or all.");
            }
            _report.Raw("suiteSeconds", new { suite, seconds = clock.Elapsed.TotalSeconds });
            // A long run that is interrupted keeps the suites it finished.
            _report.Write(_s.OutputDirectory);
        }
    }

    void Log(string line) => _log?.WriteLine($"[bench] {line}");

    static string Percent(double v) => BenchReport.Signed(v, 1) + "%";

    static string Name(BackboneKind k, bool iterative) => TrainingOptionSet.DisplayName(new InrOptions { Backbone = k, Iterative = iterative });

    // The options of a fit at the benchmark's scale, from the task's preset, plain or iterative.
    IINROptions Options(Func<BackboneKind, IINROptions> preset, BackboneKind kind, bool iterative = true, int seed = 0)
    {
        var options = _s.Options(preset, kind, seed);
        options.Model = options.Model with { Iterative = iterative };
        options.CancellationToken = _ct;
        return options;
    }

    // Quality against the truth, measured on the output clamped to [0, 1] (what an 8-bit image keeps).
    internal static double Psnr(SignalImage output, SignalImage truth) => ImageMetrics.Psnr(output.Clamp01(), truth);

    static double Ssim(SignalImage output, SignalImage truth) => IINRMetrics.FromImages(truth, output.Clamp01()).Ssim ?? double.NaN;

    // ---- fit ----

    void Fit()
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kind in AllBackbones)
        {
            var plainPsnr = new List<double>(); var iterPsnr = new List<double>();
            var plainSsim = new List<double>(); var iterSsim = new List<double>();
            foreach (var (name, image) in _images)
                for (int seed = 0; seed < _s.Seeds; seed++)
                {
                    var clock = Stopwatch.StartNew();
                    IINROptions At(bool iterative)
                    {
                        var options = Options(b => IINROptions.ForFitting(b), kind, iterative, seed);
                        options.Model = SizedFor(image, options.Model);
                        return options;
                    }
                    using var plain = _iinr.FitImage(image, At(iterative: false));
                    using var iter = _iinr.FitImage(image, At(iterative: true));
                    double pp = Psnr(plain.Image, image), ip = Psnr(iter.Image, image), ps = Ssim(plain.Image, image), iss = Ssim(iter.Image, image);
                    plainPsnr.Add(pp); iterPsnr.Add(ip); plainSsim.Add(ps); iterSsim.Add(iss);
                    double weightsPerValue = (double)plain.Model.BackboneParameterCount / ((long)image.Width * image.Height * image.Channels);
                    int width = plain.Model.ModelOptions.HiddenSize;
                    _report.Raw("fit", new { backbone = kind.ToString(), image = name, seed, hiddenLayers = _s.HiddenLayers, hiddenSize = width,
                        weightsPerValue, quarterPsnr = QuarterPsnr(image), plainPsnr = pp, iterativePsnr = ip,
                        plainSsim = ps, iterativeSsim = iss, plainSeconds = plain.TrainSeconds, iterativeSeconds = iter.TrainSeconds });
                    Log($"fit {Name(kind, false)} vs {Name(kind, true)} on {name} ({_s.HiddenLayers}×{width}, {weightsPerValue:F2} weights per value), seed {seed}: " +
                        $"{pp:F2} → {ip:F2} dB ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            var (w, l, p) = SignTest.Of(iterPsnr, plainPsnr);
            string paper = PaperFit.TryGetValue(kind, out var pf) ? $"{BenchReport.F(pf.Plain)} → {BenchReport.F(pf.Iterative)} ({BenchReport.Signed(pf.Iterative - pf.Plain)})" : "–";
            rows.Add([Name(kind, false), BenchReport.MeanStd(plainPsnr), BenchReport.MeanStd(iterPsnr),
                BenchReport.Signed(iterPsnr.Zip(plainPsnr, (a, b) => a - b).Average()),
                BenchReport.MeanStd(plainSsim, 4), BenchReport.MeanStd(iterSsim, 4), $"{w}/{l}, {SignTest.FormatP(p)}", paper]);
        }
        string network = _s.FitWeightsPerValue is double r
            ? $"{_s.HiddenLayers} hidden layers, each image's width sized to {r:0.###} weights per signal value (" +
                string.Join("; ", AllBackbones.Select(k => $"{k}: " + string.Join(", ", _images.Select(i => $"{i.Name} {SizedFor(i.Image, Options(b => IINROptions.ForFitting(b), k).Model).HiddenSize}")))) + ")" +
                (AllBackbones.Contains(BackboneKind.FourierFeatures) ? "; Fourier features on the positional encoding to the images' Nyquist frequency" : "")
            : $"{_s.HiddenLayers}×{_s.HiddenSize}";
        _report.Table("Image fitting: plain vs I-version (PSNR dB, SSIM)",
            $"{_images.Count} image(s) of {_s.Size}×{_s.Size} × {_s.Seeds} seed(s), {network}, {_s.Iterations} iterations; equal iterations and backbone; " +
            "wins/losses of the I-version and the two-sided paired sign test. Paper: Kodak 768×512, 3×300 (0.23 weights per value), 2000 iterations, GPU.",
            ["backbone", "plain PSNR", "I- PSNR", "gain", "plain SSIM", "I- SSIM", "I- wins/losses", "paper (Kodak)"], rows);
    }

    /// <summary>PSNR of <paramref name="image"/> kept at a quarter of its values: area-downscaled 2× (rounding odd sides
    /// up), then bicubic back to its size. A fit's failure line in the grid.</summary>
    internal static double QuarterPsnr(SignalImage image)
    {
        var quarter = Resampling.ResizeArea(image, (image.Width + 1) / 2, (image.Height + 1) / 2);
        return Psnr(Resampling.ResizeBicubic(quarter, image.Width, image.Height), image);
    }

    // ---- the backbone × task grid ----

    // Fitting (at the paper's regime in the full run, BenchSettings.GridFitSettings), 4× super-resolution from the smallest
    // restoration side, denoising at the first τ and occupancy on the torus knot (and any --mesh) for every backbone, plain
    // and iterative, each at its task preset as in the suites; the detail tables go under the grid's, the raw numbers
    // under "grid".
    void Grid()
    {
        var grid = _s with
        {
            Backbones = AllBackbones.ToArray(),
            Suites = ["fit", "restoration", "occupancy"],
            RestorationLowSides = [_s.RestorationLowSides.DefaultIfEmpty(32).Min()],
            RestorationTaus = [_s.RestorationTaus.DefaultIfEmpty(30).First()],
            OccupancyShapes = ["torusknot"],
        };
        var inner = new BenchReport();
        var fit = grid.GridFitSettings();
        var fitImages = fit.Size == _s.Size ? _images : BenchImages.Load(fit.ImagesDirectory, fit.Size, fit.ImageCount, fit.ImageSet);
        new BenchRunner(fit, inner, _log, _ct) { _images = fitImages }.Fit();
        new RestorationBenchmark(grid, inner, _iinr, grid.Backbones!.ToList(), Log, _ct).Run();
        new BenchRunner(grid, inner, _log, _ct) { _images = _images }.Occupancy();
        var table = GridTable.From(inner.Json, grid.Backbones!);
        _report.Table("Every backbone on every task: plain → I-version, against each task's failure line", table.Note, table.Columns, table.Rows);
        _report.Line($"Failing cells: {table.Failures.Count}{(table.Failures.Count > 0 ? " (" + string.Join("; ", table.Failures) + ")" : "")}. " +
            $"Cells where the I-version scored below the plain backbone: {table.IterativeBelowPlain.Count}{(table.IterativeBelowPlain.Count > 0 ? " (" + string.Join("; ", table.IterativeBelowPlain) + ")" : "")}.");
        _report.Line("The grid's detail tables:");
        _report.Line(inner.Markdown.TrimEnd());
        inner.Json["failures"] = new JsonArray(table.Failures.Select(f => (JsonNode?)f).ToArray());
        inner.Json["iterativeBelowPlain"] = new JsonArray(table.IterativeBelowPlain.Select(f => (JsonNode?)f).ToArray());
        _report.Json["grid"] = inner.Json.DeepClone();
    }

    // The fit suite's network for an image: the options' (--hidden-size), or sized to --weights-per-value
    // (TaskPresets.FittingForBudget: Fourier features on the positional encoding there).
    InrOptions SizedFor(SignalImage image, InrOptions model) =>
        _s.FitWeightsPerValue is double ratio ? TaskPresets.FittingForBudget(model, ratio, image) : model;

    // ---- super-resolution ----

    void SuperResolution()
    {
        var (imageName, hr) = _images[0];
        if (hr.Width % 4 != 0) throw new ArgumentException($"The super-resolution suite needs a size divisible by 4; got {hr.Width}.");
        var lr = Resampling.DownscaleArea(hr, 4);
        var ref2 = Resampling.DownscaleArea(hr, 2);
        double bic2 = Psnr(Resampling.ResizeBicubic(lr, ref2.Width, ref2.Height), ref2);
        double bic4 = Psnr(Resampling.ResizeBicubic(lr, hr.Width, hr.Height), hr);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kind in AllBackbones)
            foreach (bool iterative in new[] { false, true })
            {
                using var r = _iinr.SuperResolve(lr, 4, Options(b => IINROptions.ForSuperResolution(b, trainingScale: 2), kind, iterative));
                var x2 = r.Model.RenderSignalImage(ref2.Width, ref2.Height);
                double p2 = Psnr(x2, ref2), p4 = Psnr(r.Image, hr), s2 = Ssim(x2, ref2), s4 = Ssim(r.Image, hr);
                rows.Add([Name(kind, iterative), BenchReport.F(p2), BenchReport.F(p4), BenchReport.F(s2, 4), BenchReport.F(s4, 4)]);
                _report.Raw("sr", new { backbone = kind.ToString(), iterative, psnr2x = p2, psnr4x = p4, ssim2x = s2, ssim4x = s4,
                    bicubicPsnr2x = bic2, bicubicPsnr4x = bic4, trainSeconds = r.TrainSeconds });
                Log($"sr {Name(kind, iterative)} on {imageName}: 2× {p2:F2} dB, 4× {p4:F2} dB (bicubic {bic2:F2} / {bic4:F2})");
            }
        rows.Add(["bicubic", BenchReport.F(bic2), BenchReport.F(bic4), "", ""]);
        _report.Table("Super-resolution: fit at 2×, query at 2× and 4× (PSNR dB, SSIM)",
            $"Observed {lr.Width}×{lr.Height} (area-downscaled from '{imageName}' {hr.Width}×{hr.Height}); trained through render-at-2×-then-average; " +
            $"ω0 = {TaskPresets.SuperResolution(BackboneKind.Siren).Omega0} for SIREN and {TaskPresets.SuperResolution(BackboneKind.Finer).Omega0} for FINER (the task preset). 2× compared with the 2× area-downscaled truth, 4× with the truth. Paper (DIV2K, 4×): SIREN 25.03 → 25.53, WIRE 24.57 → 25.78, Gauss 23.85 → 25.18.",
            ["model", "2× PSNR", "4× PSNR", "2× SSIM", "4× SSIM"], rows);
    }

    // ---- throughput of the folder mode ----

    // The CLI's folder mode (superres 4×, one fit per image) on a temporary folder of distinct images, with one and two
    // concurrent fits; each fit on one thread, so a row's pixels do not depend on the job count (checked).
    void Throughput()
    {
        var rows = new List<IReadOnlyList<string>>();
        var options = Options(b => IINROptions.ForSuperResolution(b), BackboneKind.Siren);
        options.Model = options.Model with { Threads = 1 };
        foreach (int size in _s.ThroughputSizes)
        {
            string root = Directory.CreateTempSubdirectory("iinr-throughput-").FullName;
            try
            {
                string input = Path.Combine(root, "in");
                Directory.CreateDirectory(input);
                // Distinct images: the generated scene and zoomed crops of it.
                foreach (var (name, image) in BenchImages.Generated(size, _s.ThroughputImages))
                    ImageFile.SavePng(image.Clamp01(), Path.Combine(input, name + ".png"));
                var byJobs = new Dictionary<int, BatchSummary>();
                foreach (int jobs in new[] { 1, 2 })
                {
                    _ct.ThrowIfCancellationRequested();
                    string output = Path.Combine(root, $"out-{jobs}");
                    var settings = new FolderBatch.Settings("superres", input, output, null, jobs, Shard.All, Path.Combine(root, $"summary-{jobs}"), Quiet: true);
                    var context = new CliContext(TextWriter.Null, TextWriter.Null, Interactive: false, _ct);
                    byJobs[jobs] = FolderBatch.Run(context, settings,
                        (ml, execution) => ml.Transforms.IINR.SuperResolveImages(FolderBatch.OutputColumn, FolderBatch.InputColumn, 4, options, execution));
                }
                bool identical = Directory.GetFiles(Path.Combine(root, "out-1"), "*.png").All(f =>
                    File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(root, "out-2", Path.GetFileName(f)))));
                foreach (var (jobs, summary) in byJobs)
                {
                    var (decode, train, render, encode) = summary.Seconds;
                    double busy = decode + train + render + encode;
                    string Share(double part) => busy > 0 ? $"{100 * part / busy:F1}%" : "–";
                    rows.Add([$"{size}×{size} → {4 * size}×{4 * size}", _s.ThroughputImages.ToString(), jobs.ToString(), BenchReport.F(summary.WallSeconds, 1),
                        BenchReport.F(summary.ImagesPerMinute, 2), Share(train), Share(render), Share(decode + encode), identical ? "yes" : "NO"]);
                    _report.Raw("throughput", new { size, images = _s.ThroughputImages, jobs, summary.WallSeconds, summary.ImagesPerMinute,
                        decodeSeconds = decode, trainSeconds = train, renderSeconds = render, encodeSeconds = encode, identicalToOneJob = identical });
                    Log($"throughput {size}² × {_s.ThroughputImages}, --jobs {jobs}: {summary.ImagesPerMinute:F2} images/min ({summary.WallSeconds:F1} s), training {Share(train)}");
                }
            }
            finally
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            }
        }
        _report.Table("Throughput: the CLI's folder mode, super-resolution 4×",
            $"`iinr superres --input DIR --output DIR --scale 4 --jobs J` through the same code (FolderBatch), I-SIREN {_s.HiddenLayers}×{_s.HiddenSize}, " +
            $"{_s.Iterations} iterations, the super-resolution preset otherwise; each fit on 1 thread, J fits at a time. Images per minute from the wall time; " +
            "the shares split the per-image busy time into fitting, rendering the output and decoding + encoding files. \"same bytes\": every PNG of J = 2 equals J = 1's.",
            ["input → output", "images", "jobs", "seconds", "images/min", "fitting", "rendering", "decode + encode", "same bytes"], rows);
    }

    // ---- denoising ----

    void Denoise()
    {
        var (imageName, clean) = _images[0];
        var rows = new List<IReadOnlyList<string>>();
        foreach (double tau in new[] { 30.0, 100.0 })
        {
            var noisy = NoiseSimulator.AddPhotonNoise(clean, tau, NoiseSimulator.DefaultReadoutSigma, seed: 1);
            double input = Psnr(noisy, clean);
            foreach (var kind in PaperBackbones)
            {
                var plainOptions = Options(b => IINROptions.ForDenoising(b), kind, iterative: false);
                plainOptions.Model = plainOptions.Model with { Steps = 1 };
                using var plain = _iinr.Denoise(noisy, plainOptions, automaticSteps: false);
                using var iter = _iinr.Denoise(noisy, Options(b => IINROptions.ForDenoising(b), kind), automaticSteps: false);
                double pp = Psnr(plain.Image, clean), ip = Psnr(iter.Image, clean), ps = Ssim(plain.Image, clean), iss = Ssim(iter.Image, clean);
                rows.Add([$"τ = {tau:0}", kind.ToString(), BenchReport.F(input), BenchReport.F(pp), BenchReport.F(ip),
                    BenchReport.Signed(ip - pp), BenchReport.F(ps, 4), BenchReport.F(iss, 4)]);
                _report.Raw("denoise", new { tau, readout = NoiseSimulator.DefaultReadoutSigma, backbone = kind.ToString(), inputPsnr = input,
                    plainPsnr = pp, iterativePsnr = ip, plainSsim = ps, iterativeSsim = iss });
                Log($"denoise τ={tau} {kind}: input {input:F2}, plain {pp:F2}, I- {ip:F2} dB");
            }
        }
        _report.Table("Denoising: photon noise y = (Poisson(τ·I) + 2·N(0,1)) / τ (PSNR dB vs the clean image, SSIM)",
            $"Image '{imageName}'; the I-version uses {TaskPresets.Denoising().Steps} steps; ω0 = {TaskPresets.Denoising(BackboneKind.Siren).Omega0} (SIREN, FINER), " +
            $"WIRE ω0 = {TaskPresets.Denoising(BackboneKind.Wire).Omega0}, s = {TaskPresets.Denoising(BackboneKind.Wire).Scale} (WIRE, Gauss) (the task preset). " +
            "Paper (DIV2K): SIREN 23.86 → 25.59, WIRE 23.32 → 24.76, Gauss 23.10 → 24.20.",
            ["noise", "backbone", "noisy input", "plain", "I-version", "gain", "plain SSIM", "I- SSIM"], rows);
    }

    // ---- occupancy ----

    void Occupancy()
    {
        var shapes = _s.OccupancyShapes.Select(n => (Name: n, Mesh: n switch
        {
            "torus" => Shapes.Torus(),
            "torusknot" => Shapes.TorusKnot(),
            _ => throw new ArgumentException($"Unknown built-in shape '{n}': expected torus or torusknot."),
        })).ToList();
        foreach (var path in _s.Meshes) shapes.Add((Path.GetFileNameWithoutExtension(path), ObjFile.Read(path)));
        int r = _s.OccupancyResolution;
        var sampling = new OccupancyFitOptions { TrainingPoints = _s.OccupancyTraining, Resolution = r, PointCount = _s.OccupancyPoints,
            TestPointCount = Math.Min(_s.OccupancyPoints, OccupancyFitOptions.DefaultTestPointCount) };
        bool onGrid = sampling.TrainingPoints == OccupancyTrainingPoints.Grid;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, mesh) in shapes)
        {
            var normalised = mesh.NormalizeToUnitCube(0.05f, out _);
            foreach (var kind in PaperBackbones)
            {
                var plainOptions = OccupancyOptions(kind, iterative: false);
                using var plain = _iinr.FitOccupancy(normalised, plainOptions, sampling);
                using var iter = _iinr.FitOccupancy(normalised, OccupancyOptions(kind, iterative: true), sampling);
                double pu = plain.UniformMetrics!.IoU, iu = iter.UniformMetrics!.IoU;
                double pf = plain.FineGridMetrics!.IoU, @if = iter.FineGridMetrics!.IoU;
                double pg = plain.Metrics.IoU, ig = iter.Metrics.IoU;
                rows.Add([name, kind.ToString(), BenchReport.F(pu, 4), BenchReport.F(iu, 4), BenchReport.Signed(iu - pu, 4),
                    BenchReport.F(pf, 4), BenchReport.F(@if, 4), BenchReport.F(pg, 4), BenchReport.F(ig, 4)]);
                _report.Raw("occupancy", new
                {
                    shape = name, resolution = r, backbone = kind.ToString(), training = onGrid ? "grid" : "sampled", trainingPoints = plain.TrainingPointCount,
                    hiddenLayers = plainOptions.Model.HiddenLayers, hiddenSize = plainOptions.Model.HiddenSize, iterations = plainOptions.Model.Iterations,
                    plainUniformIoU = pu, iterativeUniformIoU = iu, plainFineGridIoU = pf, iterativeFineGridIoU = @if, plainIoU = pg, iterativeIoU = ig,
                });
                Log($"occupancy {name} {kind}: IoU on uniform points {pu:F4} → {iu:F4}, on the {2 * r}³ grid {pf:F4} → {@if:F4}, on the {r}³ grid {pg:F4} → {ig:F4}");
            }
        }
        _report.Table($"3D occupancy: IoU at 0.5 off the grid ({sampling.TestPointCount:N0} uniform random points, the {2 * r}³ grid) and on the {r}³ grid",
            (onGrid ? $"Generated closed meshes; trained on the voxel centres of the {r}³ grid (the paper's protocol), "
                : $"Generated closed meshes; trained on {sampling.PointCount:N0} points sampled in continuous space (half uniform, half near the surface), ") +
            "labelled by generalised winding numbers, in random batches, " +
            (_s.OccupancyAtPreset ? "each backbone at its occupancy preset (IINROptions.ForOccupancy: network, iterations, rates). "
                : $"{_s.HiddenLayers}×{_s.HiddenSize}, {_s.Iterations} iterations (the presets' rates). ") +
            "Paper (on its training grid): SIREN 0.9840 → 0.9934, WIRE 0.9917 → 0.9950, Gauss 0.9855 → 0.9967.",
            ["shape", "backbone", "plain uniform", "I- uniform", "gain", $"plain {2 * r}³", $"I- {2 * r}³", $"plain {r}³", $"I- {r}³"], rows);
    }

    IINROptions OccupancyOptions(BackboneKind kind, bool iterative)
    {
        var options = Options(b => IINROptions.ForOccupancy(b), kind, iterative);
        if (_s.OccupancyAtPreset)
        {
            var preset = IINROptions.ForOccupancy(kind).Model;
            options.Model = options.Model with
            {
                HiddenLayers = preset.HiddenLayers, HiddenSize = preset.HiddenSize,
                Iterations = preset.Iterations, ProgressInterval = preset.Iterations,
            };
        }
        return options;
    }

    // ---- ablation ----

    void Ablation()
    {
        var (imageName, image) = _images[0];
        var d = Options(b => IINROptions.ForFitting(b), BackboneKind.Siren).Model;
        (string Name, InrOptions Options)[] variants =
        [
            ("plain SIREN", d with { Iterative = false }),
            ("I-SIREN (defaults)", d),
            ("FeedbackNet only", d with { UseFuseNet = false }),
            ("FuseNet only", d with { UseFeedbackNet = false }),
            ("neither module", d with { UseFeedbackNet = false, UseFuseNet = false }),
            ("additive fusion", d with { Fusion = FusionMode.Additive }),
            ("resampled Z", d with { Noise = NoiseMode.Resampled }),
            ("Z = 0", d with { NoiseDistribution = NoiseDistribution.Zeros }),
            ("Z = 1", d with { NoiseDistribution = NoiseDistribution.Ones }),
            ("gate 2·sigmoid", d with { Gate = GateActivation.TwoSigmoid }),
            ("gate 1 + tanh", d with { Gate = GateActivation.OnePlusTanh }),
            ("t per batch", d with { TimeSampling = TimeSampling.PerBatch }),
            ("Fourier t embedding", d with { TimeEmbedding = TimeEmbedding.Fourier }),
        ];
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, o) in variants)
        {
            using var r = _iinr.FitImage(image, new IINROptions { Model = o, CancellationToken = _ct });
            var byStep = PsnrBySteps(r.Model, image, [1, 2, 4, 8]);
            double ssim = Ssim(r.Image, image);
            rows.Add([name, .. byStep.Select(v => BenchReport.F(v)), BenchReport.F(ssim, 4)]);
            _report.Raw("ablation", new { variant = name, psnrBySteps = byStep, ssim });
            Log($"ablation {name}: {string.Join(" / ", byStep.Select(v => v.ToString("F2")))} dB");
        }
        _report.Table("Ablation (I-SIREN; PSNR dB at 1 / 2 / 4 / 8 inference steps)",
            $"Image '{imageName}'. Paper (Kodak, I-SIREN): neither module 20.27, FeedbackNet only 31.88, both 37.53; multiplicative fusion and Gaussian Z best.",
            ["variant", "1 step", "2 steps", "4 steps", "8 steps", "SSIM (2 steps)"], rows);
    }

    // ---- steps ----

    void Steps()
    {
        var (imageName, image) = _images[0];
        var rows = new List<IReadOnlyList<string>>();
        using (var fit = _iinr.FitImage(image, Options(b => IINROptions.ForFitting(b), BackboneKind.Siren)))
            rows.Add(["fitting (I-SIREN)", .. StepRow(fit.Model, image, "fitting")]);

        var noisy = NoiseSimulator.AddPhotonNoise(image, 30, NoiseSimulator.DefaultReadoutSigma, seed: 1);
        var o = Options(b => IINROptions.ForDenoising(b), BackboneKind.Siren);
        using (var fixedSteps = _iinr.Denoise(noisy, o, automaticSteps: false))
            rows.Add(["denoising τ = 30 (I-SIREN)", .. StepRow(fixedSteps.Model, image, "denoising")]);
        using var auto = _iinr.Denoise(noisy, o);
        int chosen = auto.Model.Steps;
        double autoPsnr = Psnr(auto.Image, image);
        _report.Raw("steps", new { task = "denoising-auto", chosenSteps = chosen, psnr = autoPsnr, heldOut = auto.StepSelection!.Scores });
        Log($"steps: denoise auto chose {chosen} steps ({autoPsnr:F2} dB)");
        _report.Table("Inference steps (PSNR dB against the clean image, steps 1…8)",
            $"Image '{imageName}'. `denoise --steps auto` (hold-out of {TaskPresets.DenoisingHoldOutFraction:P0} of the pixels) chose **{chosen}** steps " +
            $"({BenchReport.F(autoPsnr)} dB). Paper: fitting peaks near 4 steps, denoising at 2.",
            ["task", "1", "2", "3", "4", "5", "6", "7", "8"], rows);
    }

    // PSNR against the truth of the model rendered at the truth's size with each of the step counts.
    static double[] PsnrBySteps(IINRTransformer model, SignalImage truth, IEnumerable<int> steps) => steps.Select(k =>
    {
        using var withSteps = model.WithSteps(k);
        return Psnr(withSteps.RenderSignalImage(truth.Width, truth.Height), truth);
    }).ToArray();

    IEnumerable<string> StepRow(IINRTransformer model, SignalImage truth, string task)
    {
        var values = PsnrBySteps(model, truth, Enumerable.Range(1, 8));
        _report.Raw("steps", new { task, psnrBySteps = values });
        Log($"steps {task}: {string.Join(" / ", values.Select(v => v.ToString("F2")))}");
        int best = Array.IndexOf(values, values.Max());
        return values.Select((v, i) => i == best ? $"**{BenchReport.F(v)}**" : BenchReport.F(v));
    }

    // ---- speed ----

    void Speed()
    {
        var threadCounts = _s.SpeedThreads;
        int most = threadCounts.Max();

        // Training steps and inference, every variant interleaved step by step.
        var trainRows = new List<IReadOnlyList<string>>();
        var inferRows = new List<IReadOnlyList<string>>();
        double gemmAtMost = 0; // the fastest GEMM measured with the most threads: the batch table's ceiling
        foreach (int threads in threadCounts)
            foreach (int size in _s.SpeedSizes)
            {
                _ct.ThrowIfCancellationRequested();
                var r = SpeedBenchmark.Steps(size, threads, _s.Device, _s.SpeedIterations, gemmSide: _s.SpeedGemmSide);
                var train = r.Plain.OverheadOf(r.Iterative);
                var infer = r.PlainInfer.OverheadOf(r.IterativeInfer);
                if (threads == most) gemmAtMost = Math.Max(gemmAtMost, r.GemmGflops);
                string side = $"{size}×{size}";
                trainRows.Add([side, threads.ToString(), BenchReport.F(r.Plain.Wall.Median, 1), BenchReport.F(r.Iterative.Wall.Median, 1), Percent(train.Wall), Percent(train.Cpu),
                    BenchReport.F(r.PlainAutograd.Wall.Median, 1), BenchReport.F(r.IterativeAutograd.Wall.Median, 1),
                    $"{BenchReport.F(r.PlainAutograd.Wall.Median / r.Plain.Wall.Median, 2)}×", $"{BenchReport.F(r.PlainTrainGflops, 0)} ({100 * r.PlainTrainGflops / r.GemmGflops:F0}%)",
                    BenchReport.F(r.GemmGflops, 0)]);
                inferRows.Add([side, threads.ToString(), BenchReport.F(r.PlainInfer.Wall.Median, 1), BenchReport.F(r.IterativeInfer.Wall.Median, 1), Percent(infer.Wall), Percent(infer.Cpu),
                    BenchReport.F(r.IterativeInferLibTorch.Wall.Median, 1), $"{BenchReport.F(r.PlainInferGflops, 0)} ({100 * r.PlainInferGflops / r.GemmGflops:F0}%)"]);
                _report.Raw("speed", new { size, threads, r.GemmGflops, gemmMs = r.Gemm, plainMs = r.Plain, iterativeMs = r.Iterative, plainAutogradMs = r.PlainAutograd,
                    iterativeAutogradMs = r.IterativeAutograd, plainInferMs = r.PlainInfer, iterativeInferMs = r.IterativeInfer, iterativeInferLibTorchMs = r.IterativeInferLibTorch,
                    trainOverheadPercent = train.Wall, trainOverheadCpuPercent = train.Cpu, inferOverheadPercent = infer.Wall, inferOverheadCpuPercent = infer.Cpu,
                    r.PlainTrainGflops, r.PlainInferGflops, allocator = TorchRuntime.AllocatorPolicy });
                Log($"speed {size}², {threads} thread(s): step {r.Plain.Wall.Median:F1} / {r.Iterative.Wall.Median:F1} ms ({train.Wall:+0.0;-0.0;+0.0}%, CPU {train.Cpu:+0.0;-0.0;+0.0}%; " +
                    $"autograd {r.PlainAutograd.Wall.Median:F1} ms), inference {r.PlainInfer.Wall.Median:F1} / {r.IterativeInfer.Wall.Median:F1} ms ({infer.Wall:+0.0;-0.0;+0.0}%, " +
                    $"CPU {infer.Cpu:+0.0;-0.0;+0.0}%), {100 * r.PlainTrainGflops / r.GemmGflops:F0}% of GEMM");
            }
        const string Network = "3×256 SIREN / I-SIREN (2→256→256→256→256→3), RGB, full batch";
        const string Cpu = "Overheads by wall time and by process CPU time (the steadier figure when other jobs share the machine: the fused paths never spin).";
        _report.Table("Speed: training step, plain vs I-version, fused vs autograd",
            $"{Network}; ms per step, medians over {_s.SpeedIterations} rounds in which all four variants and a {_s.SpeedGemmSide}² libtorch GEMM run in turn. " +
            "On the CPU the default path is the fused step; \"autograd\" is the reference path (what CUDA runs). GFLOP/s count the network's multiply-adds ×2 ×3; " +
            $"% of GEMM: of the interleaved libtorch product with the same threads. {Cpu} Targets: training overhead ≤ 3%; ≥ 80% of GEMM.",
            ["grid", "threads", "plain ms", "I- ms", "overhead", "overhead (CPU)", "plain autograd ms", "I- autograd ms", "autograd / fused", "plain GFLOP/s (% GEMM)", "GEMM GFLOP/s"], trainRows);
        _report.Table("Speed: full-grid inference, plain vs I-version",
            $"{Network}; ms per full-grid inference (the I-version with its 2 steps), medians over 9 interleaved passes. On the CPU the default path runs backbone and heads " +
            $"in the fused kernels; \"libtorch\" runs everything through libtorch (what CUDA runs). {Cpu} Target: inference overhead ≤ 2%.",
            ["grid", "threads", "plain ms", "I- ms", "overhead", "overhead (CPU)", "I- ms, libtorch", "plain GFLOP/s (% GEMM)"], inferRows);

        // End to end against PyTorch, run by run alternately.
        var peer = PyTorchPeer.Find();
        var fitRows = new List<IReadOnlyList<string>>();
        try
        {
            foreach (int n in _s.SpeedFitIterations)
            {
                var ours = new List<(double Total, double Step)>();
                var theirs = new List<PeerResult>();
                for (int rep = 0; rep < _s.SpeedRepeats; rep++)
                {
                    _ct.ThrowIfCancellationRequested();
                    ours.Add(SpeedBenchmark.FitSeconds(_s.SpeedFitSize, most, _s.Device, n));
                    if (peer is not null) theirs.Add(peer.Train(most, n, _s.SpeedFitSize));
                }
                var ourTotal = Timing.Of(ours.Select(o => o.Total));
                var ourStep = Timing.Of(ours.Select(o => o.Step));
                Timing? peerTotal = theirs.Count > 0 ? Timing.Of(theirs.Select(t => t.TotalSeconds)) : null;
                Timing? peerStep = theirs.Count > 0 ? Timing.Of(theirs.Select(t => t.MedianStepMs)) : null;
                string Ratio(double a, Timing? b) => b is { } t ? BenchReport.F(a / t.Median, 2) : "–";
                fitRows.Add([$"fit, {n} iterations: seconds", ourTotal.Format(2), peerTotal?.Format(2) ?? "–", Ratio(ourTotal.Median, peerTotal)]);
                fitRows.Add([$"fit, {n} iterations: median step ms", ourStep.Format(1), peerStep?.Format(1) ?? "–", Ratio(ourStep.Median, peerStep)]);
                _report.Raw("speedFit", new { size = _s.SpeedFitSize, threads = most, iterations = n, oursSeconds = ours.Select(o => o.Total), oursStepMs = ours.Select(o => o.Step),
                    pytorchSeconds = theirs.Select(t => t.TotalSeconds), pytorchStepMs = theirs.Select(t => t.MedianStepMs), pytorch = peer?.Python });
                Log($"speed fit {n} iterations at {_s.SpeedFitSize}²: ours {ourTotal.Median:F2} s" + (peerTotal is { } pt ? $", PyTorch {pt.Median:F2} s (ratio {ourTotal.Median / pt.Median:F2})" : ""));
            }
        }
        finally
        {
            peer?.Delete();
        }
        _report.Table("Speed: ours vs PyTorch, end to end",
            $"Plain SIREN 3×256 on a {_s.SpeedFitSize}×{_s.SpeedFitSize} RGB image, {most} thread(s), the same model and optimiser in both. Ours: `InrTrainer.Fit` wall time " +
            "(set-up, the first iterations and a progress report every iteration included). PyTorch: the peer script bench/peer/siren_bench.py (training loop wall time, " +
            "jemalloc and the pthread OpenBLAS preloaded where installed). Median step: iterations 10–59 (fewer when fewer ran). Median (min–max) over " +
            $"{_s.SpeedRepeats} alternating run(s). " + (PyTorchPeer.Missing is { } why ? $"PyTorch column empty: {why}." : "Target: ≤ 1.0 end to end, ≤ 0.8 per step."),
            ["what", "ours", "PyTorch", "ours / PyTorch"], fitRows);

        // Many images at once.
        var batchRows = new List<IReadOnlyList<string>>();
        foreach (int size in _s.SpeedBatchSizes)
        {
            _ct.ThrowIfCancellationRequested();
            var b = SpeedBenchmark.Batched(size, most, _s.Device, _s.SpeedBatchImages, _s.SpeedBatchIterations, _s.SpeedRepeats);
            double PerMinute(Measured m) => 60 * b.Images / m.Wall.Median;
            var overOne = b.Batched.OverheadOf(b.Sequential);
            var overAutograd = b.Batched.OverheadOf(b.SequentialAutograd);
            double ceiling = gemmAtMost > 0 ? b.PerMinuteAt(gemmAtMost) : double.NaN;
            batchRows.Add([$"{size}×{size}", b.Images.ToString(), b.Iterations.ToString(), BenchReport.F(PerMinute(b.SequentialAutograd), 1),
                BenchReport.F(PerMinute(b.Sequential), 1), BenchReport.F(PerMinute(b.Batched), 1),
                $"{BenchReport.F(1 + overOne.Wall / 100, 2)}× (CPU {BenchReport.F(1 + overOne.Cpu / 100, 2)}×)",
                $"{BenchReport.F(1 + overAutograd.Wall / 100, 2)}× (CPU {BenchReport.F(1 + overAutograd.Cpu / 100, 2)}×)",
                BenchReport.F(ceiling, 1), $"{BenchReport.F(100 * PerMinute(b.Sequential) / ceiling, 0)}%", $"{BenchReport.F(ceiling / PerMinute(b.Sequential), 2)}×",
                b.MaxDifference.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)]);
            _report.Raw("speedBatch", new { b.Size, b.Threads, b.Images, b.Iterations, sequentialSeconds = b.Sequential, batchedSeconds = b.Batched,
                sequentialAutogradSeconds = b.SequentialAutograd, b.MaxDifference, b.TrainFlops, gemmGflops = gemmAtMost, imagesPerMinuteAtGemmRate = ceiling });
            Log($"speed batch {size}² × {b.Images}: one by one {b.Sequential.Wall.Median:F2} s, batched {b.Batched.Wall.Median:F2} s ({1 + overOne.Wall / 100:F2}×), " +
                $"autograd one by one {b.SequentialAutograd.Wall.Median:F2} s");
        }
        _report.Table("Speed: many images at once (InrTrainer.FitMany vs one Fit per image)",
            $"I-SIREN 3×256 (the defaults), {most} thread(s), distinct images of one size; images per minute from the median wall time of {_s.SpeedRepeats} interleaved run(s); " +
            "the speed-ups also by process CPU time. \"autograd\": one Fit per image through the autograd path. Max |Δ|: largest difference between the pixels of the " +
            "batched and the one-by-one models (0: the same bits). \"At the GEMM rate\": images per minute if every multiply-add of the fits (backbone ×2 ×3, " +
            $"heads left out) ran at the fastest libtorch GEMM measured above with {most} thread(s) ({BenchReport.F(gemmAtMost, 0)} GFLOP/s), the ceiling of any engine; " +
            "\"most a batch can gain\": that ceiling over one by one. Target: batched ≥ 1.5× one by one.",
            ["image", "images", "iterations", "img/min, one by one (autograd)", "img/min, one by one", "img/min, batched", "batched / one by one", "batched / autograd one by one",
                "img/min at the GEMM rate", "one by one, % of it", "most a batch can gain", "max |Δ|"], batchRows);

        // Super-resolution: a fit through the forward model, on the default path and through autograd.
        var srRows = new List<IReadOnlyList<string>>();
        foreach (int side in _s.SpeedSuperResolutionSides)
        {
            _ct.ThrowIfCancellationRequested();
            var sr = SpeedBenchmark.SuperResolution(side, most, _s.Device, _s.SpeedSuperResolutionIterations, _s.SpeedRepeats);
            var gain = sr.Fused.OverheadOf(sr.Autograd);
            srRows.Add([$"{side}×{side} → {4 * side}×{4 * side}", $"2×{sr.HiddenSize}", sr.Iterations.ToString(), BenchReport.F(sr.Fused.Wall.Median, 2),
                BenchReport.F(sr.Autograd.Wall.Median, 2), $"{BenchReport.F(1 + gain.Wall / 100, 2)}× (CPU {BenchReport.F(1 + gain.Cpu / 100, 2)}×)",
                sr.MaxDifference.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)]);
            _report.Raw("speedSuperResolution", new { sr.ObservedSide, sr.Threads, sr.Iterations, sr.HiddenSize, fusedSeconds = sr.Fused, autogradSeconds = sr.Autograd, sr.MaxDifference });
            Log($"speed super-resolution {side}² → {4 * side}²: fused {sr.Fused.Wall.Median:F2} s, autograd {sr.Autograd.Wall.Median:F2} s ({1 + gain.Wall / 100:F2}×)");
        }
        _report.Table("Speed: super-resolution fit, fused vs autograd",
            $"The super-resolution preset (I-SIREN, width sized to the input) fitted to the test scene through the area-average forward model at " +
            $"{TaskPresets.SuperResolutionTrainingScale}×, {most} thread(s); seconds per fit (set-up included), medians of {_s.SpeedRepeats} interleaved run(s). " +
            "\"Fused\": the default path on the CPU; \"autograd\": the reference path (what CUDA runs). Max |Δ|: largest difference between the two models' 4× renders.",
            ["observed → output", "network", "iterations", "fused s", "autograd s", "autograd / fused", "max |Δ|"], srRows);

        // WIRE: a fit with complex layers, on the default path and through autograd.
        var wireRows = new List<IReadOnlyList<string>>();
        foreach (int side in _s.SpeedWireSides)
        {
            _ct.ThrowIfCancellationRequested();
            var wire = SpeedBenchmark.Wire(side, most, _s.Device, _s.SpeedWireIterations, _s.SpeedRepeats);
            var gain = wire.Fused.OverheadOf(wire.Autograd);
            wireRows.Add([$"{side}×{side}", wire.Iterations.ToString(), BenchReport.F(wire.Fused.Wall.Median, 2), BenchReport.F(wire.Autograd.Wall.Median, 2),
                $"{BenchReport.F(1 + gain.Wall / 100, 2)}× (CPU {BenchReport.F(1 + gain.Cpu / 100, 2)}×)", BenchReport.F(wire.FusedPsnr, 2), BenchReport.F(wire.AutogradPsnr, 2),
                wire.MaxDifference.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)]);
            _report.Raw("speedWire", new { wire.Size, wire.Threads, wire.Iterations, fusedSeconds = wire.Fused, autogradSeconds = wire.Autograd, wire.FusedPsnr, wire.AutogradPsnr, wire.MaxDifference });
            Log($"speed WIRE {side}²: fused {wire.Fused.Wall.Median:F2} s, autograd {wire.Autograd.Wall.Median:F2} s ({1 + gain.Wall / 100:F2}×)");
        }
        _report.Table("Speed: WIRE fit, fused vs autograd",
            $"I-WIRE at its fitting preset (3×256, 181 complex units per layer) fitted to the test scene, {most} thread(s); seconds per fit (set-up included), " +
            $"medians of {_s.SpeedRepeats} interleaved run(s). \"Fused\": the default path on the CPU; \"autograd\": the reference path (what CUDA runs). " +
            "PSNR of each fit's render against the image, and max |Δ|, the largest difference between the renders: Adam's first steps move each weight by about the " +
            "learning rate whatever the size of its gradient, so rounding-level differences in the smallest gradients move weights by up to twice the rate, which " +
            "WIRE's ω0 magnifies in the render; the fits stay equally good.",
            ["image", "iterations", "fused s", "autograd s", "autograd / fused", "fused PSNR", "autograd PSNR", "max |Δ|"], wireRows);

        // The ML.NET surface on the largest grid: Transform through a cursor vs raw batched inference of the same model.
        int grid = _s.SpeedSizes.Max();
        var surface = SurfaceBenchmark.Run(grid, new InrOptions { Threads = most, Device = _s.Device }, runs: Math.Max(3, _s.SpeedIterations / 2));
        _report.Raw("surface", surface);
        Log($"surface {grid}²: raw {surface.Rows / surface.RawSeconds:N0} rows/s, Transform {surface.Rows / surface.SurfaceSeconds:N0} rows/s (CPU ratio {surface.CpuRatio:F3}), zip {surface.ZipBytes:N0} bytes");
        _report.Table("ML.NET surface: Transform + IDataView cursor vs raw Predict, same model and grid",
            $"3×256 I-SIREN ({surface.Parameters:N0} parameters), {grid}×{grid} grid, medians over interleaved runs; the CPU-time ratio is the steadier " +
            $"figure on a shared machine. Largest output difference between the paths: {surface.MaxDifference:G3}. Target: the surface costs ≤ 10%.",
            ["rows", "raw rows/s", "Transform rows/s", "wall ratio", "CPU-time ratio", "model zip bytes"],
            [[surface.Rows.ToString("N0"), (surface.Rows / surface.RawSeconds).ToString("N0"), (surface.Rows / surface.SurfaceSeconds).ToString("N0"),
              surface.WallRatio.ToString("F3"), surface.CpuRatio.ToString("F3"), surface.ZipBytes.ToString("N0")]]);
    }
}
