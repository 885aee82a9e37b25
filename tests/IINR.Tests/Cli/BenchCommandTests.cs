using System.Text.Json;
using System.Text.Json.Nodes;
using IINR.Cli;
using IINR.Cli.Bench;
using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class BenchCommandTests
{
    [TestMethod]
    public void EverySuiteRunsAndWritesTablesAndRawNumbers()
    {
        using var h = new CliHarness();
        var run = h.Run("bench", "--quick", "--size", "16", "--iterations", "3", "--resolution", "8", "--hidden-size", "8",
            "--threads", "1", "--device", "cpu", "--out", h.PathOf("bench"), "--suite", "fit,sr,denoise,occupancy,ablation,steps").Succeeded();
        StringAssert.Contains(run.Out, "bench finished");
        string md = File.ReadAllText(h.PathOf("bench/results.md"));
        foreach (var heading in new[] { "## Image fitting", "## Super-resolution", "## Denoising", "## 3D occupancy", "## Ablation", "## Inference steps", "Total run time" })
            StringAssert.Contains(md, heading);
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("bench/results.json")));
        var root = json.RootElement;
        Assert.AreEqual(5, root.GetProperty("fit").GetArrayLength(), "one record per backbone (one image, one seed)");
        Assert.AreEqual(10, root.GetProperty("sr").GetArrayLength(), "plain and I- per backbone");
        Assert.AreEqual(6, root.GetProperty("denoise").GetArrayLength(), "two noise levels × three backbones");
        Assert.AreEqual(6, root.GetProperty("occupancy").GetArrayLength(), "two shapes × three backbones");
        Assert.AreEqual(13, root.GetProperty("ablation").GetArrayLength());
        foreach (var r in root.GetProperty("fit").EnumerateArray())
            Assert.AreNotEqual(r.GetProperty("plainPsnr").GetDouble(), r.GetProperty("iterativePsnr").GetDouble(), $"two different models: {r}");

        // The numbers are the library's for the settings the bench states: the same fits and baselines, made here.
        var iinr = new MLContext().Transforms.IINR;
        var scene = TestScene.Render(16, 16);
        IINROptions Quick(IINROptions preset, bool iterative)
        {
            preset.Model = preset.Model with { Iterative = iterative, HiddenLayers = 2, HiddenSize = 8, Iterations = 3, Seed = 0, Threads = 1, Device = ComputeDevice.Cpu, ProgressInterval = 3 };
            return preset;
        }
        var fitSiren = root.GetProperty("fit").EnumerateArray().First(r => r.GetProperty("backbone").GetString() == "Siren");
        using (var plain = iinr.FitImage(scene, Quick(IINROptions.ForFitting(), iterative: false)))
            Assert.AreEqual(ImageMetrics.Psnr(plain.Image.Clamp01(), scene), fitSiren.GetProperty("plainPsnr").GetDouble(), 1e-9);
        var sr = root.GetProperty("sr")[0];
        var low = Resampling.DownscaleArea(scene, 4);
        Assert.AreEqual(ImageMetrics.Psnr(Resampling.ResizeBicubic(low, 16, 16).Clamp01(), scene), sr.GetProperty("bicubicPsnr4x").GetDouble(), 1e-9);
        var denoise = root.GetProperty("denoise")[0];
        Assert.AreEqual(30.0, denoise.GetProperty("tau").GetDouble());
        Assert.AreEqual(ImageMetrics.Psnr(NoiseSimulator.AddPhotonNoise(scene, 30, NoiseSimulator.DefaultReadoutSigma, seed: 1).Clamp01(), scene),
            denoise.GetProperty("inputPsnr").GetDouble(), 1e-9);
        var torus = root.GetProperty("occupancy").EnumerateArray().First(r => r.GetProperty("shape").GetString() == "torus" && r.GetProperty("backbone").GetString() == "Siren");
        var sampling = new OccupancyFitOptions { Resolution = 8, PointCount = 10_000, TestPointCount = 10_000 };
        using (var iterative = iinr.FitOccupancy(Shapes.Torus().NormalizeToUnitCube(0.05f, out _), Quick(IINROptions.ForOccupancy(), iterative: true), sampling))
        {
            Assert.AreEqual(iterative.Metrics.IoU, torus.GetProperty("iterativeIoU").GetDouble(), 1e-12);
            Assert.AreEqual(iterative.UniformMetrics!.IoU, torus.GetProperty("iterativeUniformIoU").GetDouble(), 1e-12);
            Assert.AreEqual(iterative.FineGridMetrics!.IoU, torus.GetProperty("iterativeFineGridIoU").GetDouble(), 1e-12);
        }
        StringAssert.Contains(md, "10,000 uniform random points, the 16³ grid");
        Assert.IsTrue(root.GetProperty("totalSeconds").GetDouble() > 0);
    }

    [TestMethod]
    public void BackbonesNarrowTheSuites()
    {
        using var h = new CliHarness();
        h.Run("bench", "--quick", "--size", "16", "--iterations", "3", "--resolution", "8", "--hidden-size", "8", "--seeds", "2",
            "--backbones", "siren, finer", "--threads", "1", "--device", "cpu", "--out", h.PathOf("b"), "--suite", "fit,denoise", "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("b/results.json")));
        var fit = json.RootElement.GetProperty("fit").EnumerateArray().Select(r => r.GetProperty("backbone").GetString()).ToArray();
        CollectionAssert.AreEqual(new[] { "Siren", "Siren", "Finer", "Finer" }, fit, "two seeds of each chosen backbone, in the usual order");
        var denoise = json.RootElement.GetProperty("denoise").EnumerateArray().Select(r => r.GetProperty("backbone").GetString()).Distinct().ToArray();
        CollectionAssert.AreEqual(new[] { "Siren", "Finer" }, denoise);
    }

    [TestMethod]
    public void OccupancySuiteKeepsTheGridProtocolOnRequest()
    {
        using var h = new CliHarness();
        h.Run("bench", "--quick", "--iterations", "3", "--resolution", "6", "--hidden-size", "8", "--backbones", "siren", "--occupancy-train", "grid",
            "--threads", "1", "--device", "cpu", "--out", h.PathOf("g"), "--suite", "occupancy", "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("g/results.json")));
        foreach (var r in json.RootElement.GetProperty("occupancy").EnumerateArray())
        {
            Assert.AreEqual("grid", r.GetProperty("training").GetString());
            Assert.AreEqual(6 * 6 * 6, r.GetProperty("trainingPoints").GetInt32());
            Assert.AreEqual((8, 3), (r.GetProperty("hiddenSize").GetInt32(), r.GetProperty("iterations").GetInt32()),
                "--hidden-size and --iterations replace the occupancy preset's network and iterations");
        }
        StringAssert.Contains(File.ReadAllText(h.PathOf("g/results.md")), "trained on the voxel centres of the 6³ grid");
        h.Run("bench", "--occupancy-train", "voxels", "--suite", "occupancy").FailedWithOneLine(ExitCodes.Usage);
    }

    [TestMethod]
    public void ThroughputSuiteRunsTheFolderModeWithOneAndTwoJobsAndTheSameBytes()
    {
        using var h = new CliHarness();
        h.Run("bench", "--suite", "throughput", "--quick", "--iterations", "8", "--threads", "1", "--device", "cpu", "--out", h.PathOf("tp"), "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("tp/results.json")));
        var rows = json.RootElement.GetProperty("throughput").EnumerateArray().ToList();
        CollectionAssert.AreEqual(new[] { 1, 2 }, rows.Select(r => r.GetProperty("jobs").GetInt32()).ToArray());
        foreach (var r in rows)
        {
            Assert.AreEqual(2, r.GetProperty("images").GetInt32());
            Assert.IsGreaterThan(0.0, r.GetProperty("imagesPerMinute").GetDouble());
            Assert.IsGreaterThan(0.0, r.GetProperty("trainSeconds").GetDouble());
            Assert.IsTrue(r.GetProperty("identicalToOneJob").GetBoolean(), "a row's pixels do not depend on --jobs");
        }
        StringAssert.Contains(File.ReadAllText(h.PathOf("tp/results.md")), "Throughput: the CLI's folder mode");
    }

    [TestMethod]
    public void RestorationSuiteRunsThePresetsOnTheChosenPhotographs()
    {
        using var h = new CliHarness();
        string photos = h.PathOf("photos");
        Directory.CreateDirectory(photos);
        foreach (var name in new[] { "astronaut", "camera" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Photographs", name + ".png"), Path.Combine(photos, name + ".png"));
        h.Run("bench", "--suite", "restoration", "--quick", "--images", photos, "--restoration-images", "keptout", "--backbones", "siren",
            "--threads", "1", "--device", "cpu", "--out", h.PathOf("r"), "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("r/results.json")));
        var rows = json.RootElement.GetProperty("restoration").EnumerateArray().ToList();
        // --quick: SR 4× from 12² and denoising at τ = 30; only the kept-out photograph (astronaut), SIREN only.
        CollectionAssert.AreEqual(new[] { "sr4x", "denoise" }, rows.Select(r => r.GetProperty("task").GetString()).ToArray());
        Assert.IsTrue(rows.All(r => r.GetProperty("crop").GetString()!.StartsWith("astronaut@", StringComparison.Ordinal)));
        Assert.IsTrue(rows[0].GetProperty("bicubicPsnr").GetDouble() > 10 && rows[1].GetProperty("noisyPsnr").GetDouble() > 5);
        // The second classical baseline, back-projection against the area average: its own image, as sane as bicubic.
        double bicubic = rows[0].GetProperty("bicubicPsnr").GetDouble(), backProjection = rows[0].GetProperty("backProjectionPsnr").GetDouble();
        Assert.IsTrue(backProjection > 10 && backProjection != bicubic, $"back-projection {backProjection}, bicubic {bicubic}");
        // Denoising compares the two models as `iinr denoise` runs them: both stopped on held-out pixels.
        Assert.AreEqual(JsonValueKind.Number, rows[1].GetProperty("plainStoppedAt").ValueKind, "the plain model stops on held-out pixels too");
        Assert.AreEqual(JsonValueKind.Number, rows[1].GetProperty("iterativeStoppedAt").ValueKind);
        StringAssert.Contains(File.ReadAllText(h.PathOf("r/results.md")), "| SR 4× from 12² | Siren | 1 | bicubic ");
        StringAssert.Contains(File.ReadAllText(h.PathOf("r/results.md")), "(back-projection ");

        StringAssert.Contains(h.Run("bench", "--suite", "restoration", "--restoration-images", "keptout").FailedWithOneLine(ExitCodes.Usage).Error, "give --images too");
        StringAssert.Contains(h.Run("bench", "--suite", "restoration", "--restoration-sr", "32,x").FailedWithOneLine(ExitCodes.Usage).Error, "--restoration-sr must be");
        StringAssert.Contains(h.Run("bench", "--suite", "restoration", "--images", photos, "--restoration-images", "tuning", "--quick", "--restoration-sr", "none",
            "--restoration-denoise", "none", "--out", h.PathOf("n"), "--quiet").Succeeded().Out, "results.md");
    }

    [TestMethod]
    public void FitSuiteSizesEachImagesNetworkToTheWeightsPerValueOnTheChosenSet()
    {
        using var h = new CliHarness();
        string photos = h.PathOf("photos");
        Directory.CreateDirectory(photos);
        foreach (var name in new[] { "astronaut", "camera", "kodim02-grey" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Photographs", name + ".png"), Path.Combine(photos, name + ".png"));
        h.Run("bench", "--suite", "fit", "--images", photos, "--image-set", "keptout", "--size", "32", "--weights-per-value", "0.5",
            "--hidden-layers", "2", "--iterations", "2", "--backbones", "siren", "--threads", "1", "--device", "cpu", "--out", h.PathOf("f"), "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("f/results.json")));
        var rows = json.RootElement.GetProperty("fit").EnumerateArray().ToList();
        // Only the kept-out images (camera is a tuning image); RGB gets a wider network than greyscale at the same ratio.
        CollectionAssert.AreEqual(new[] { "astronaut", "kodim02-grey" }, rows.Select(r => r.GetProperty("image").GetString()).ToArray());
        var widths = rows.Select(r => r.GetProperty("hiddenSize").GetInt32()).ToArray();
        var siren = new InrOptions { Backbone = BackboneKind.Siren, HiddenLayers = 2 };
        CollectionAssert.AreEqual(new[] { TaskPresets.WidthForWeightsPerValue(0.5, 32 * 32 * 3, siren, 2, 3), TaskPresets.WidthForWeightsPerValue(0.5, 32 * 32, siren, 2, 1) }, widths);
        Assert.IsGreaterThan(widths[1], widths[0]);
        foreach (var r in rows)
        {
            double ratio = r.GetProperty("weightsPerValue").GetDouble();
            Assert.IsTrue(ratio is > 0.4 and <= 0.5, $"the backbone's own parameter count per value: {r}");
            Assert.IsGreaterThan(10.0, r.GetProperty("quarterPsnr").GetDouble());
        }
        StringAssert.Contains(File.ReadAllText(h.PathOf("f/results.md")), $"sized to 0.5 weights per signal value (Siren: astronaut {widths[0]}, kodim02-grey {widths[1]})");
        StringAssert.Contains(h.Run("bench", "--suite", "fit", "--weights-per-value", "0").FailedWithOneLine(ExitCodes.Usage).Error, "--weights-per-value must be");
        StringAssert.Contains(h.Run("bench", "--suite", "fit", "--image-set", "keptout").FailedWithOneLine(ExitCodes.Usage).Error, "give --images too");
    }

    [TestMethod]
    public void GridFitsAtThePapersRegimeOnlyWhenAsked()
    {
        var full = BenchSettings.Full(["grid"], "out");
        Assert.AreSame(full, full.GridFitSettings(), "without the flag the grid fits at the benchmark's own scale");
        var paper = (full with { GridFitAtPaperRegime = true }).GridFitSettings();
        Assert.AreEqual(96, paper.Size);
        Assert.AreEqual(0.23, paper.FitWeightsPerValue);
        Assert.AreEqual(2000, paper.Iterations);
        Assert.AreEqual(3, paper.HiddenLayers);
        Assert.AreSame(full.Suites, paper.Suites, "only the fit's scale changes");
        Assert.AreEqual(full.OccupancyResolution, paper.OccupancyResolution);
    }

    [TestMethod]
    public void GridSuiteTablesEveryBackboneOnEveryTaskAgainstItsFailureLine()
    {
        using var h = new CliHarness();
        h.Run("bench", "--suite", "grid", "--quick", "--size", "16", "--iterations", "3", "--resolution", "8", "--hidden-size", "8",
            "--backbones", "siren,finer", "--threads", "1", "--device", "cpu", "--out", h.PathOf("g"), "--quiet").Succeeded();
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("g/results.json")));
        var grid = json.RootElement.GetProperty("grid");
        foreach (var suite in new[] { "fit", "restoration", "occupancy" })
            CollectionAssert.AreEquivalent(new[] { "Siren", "Finer" },
                grid.GetProperty(suite).EnumerateArray().Select(r => r.GetProperty("backbone").GetString()).Distinct().ToArray(), suite);
        CollectionAssert.AreEqual(new[] { "sr4x", "denoise" },
            grid.GetProperty("restoration").EnumerateArray().Select(r => r.GetProperty("task").GetString()).Distinct().ToArray(), "one SR side and one τ");
        CollectionAssert.AreEqual(new[] { "torusknot" },
            grid.GetProperty("occupancy").EnumerateArray().Select(r => r.GetProperty("shape").GetString()).Distinct().ToArray());
        Assert.IsFalse(json.RootElement.TryGetProperty("fit", out _), "the grid's runs are kept under grid, apart from a fit suite's");
        foreach (var fit in grid.GetProperty("fit").EnumerateArray())
            Assert.AreEqual(8, fit.GetProperty("hiddenSize").GetInt32(), "--quick and --hidden-size keep the grid's fit at the given scale, not the paper's");
        string md = File.ReadAllText(h.PathOf("g/results.md"));
        StringAssert.Contains(md, "| backbone | fitting (dB) | SR 4× from 12² (dB) | denoising τ = 30 (dB) | occupancy IoU |");
        StringAssert.Contains(md, "| Siren | ");
        StringAssert.Contains(md, "| Finer | ");
        StringAssert.Contains(md, "Failing cells: ");
        StringAssert.Contains(md, "## Image fitting", "the detail tables follow");
        // --suite all leaves the grid out: it re-runs the other suites.
        CollectionAssert.DoesNotContain(BenchSettings.AllSuites, "grid");
    }

    [TestMethod]
    public void GridTableFailsACellBelowItsLineAndListsIterativeLosses()
    {
        static JsonObject Row(string backbone, params (string Key, object Value)[] fields)
        {
            var o = new JsonObject { ["backbone"] = backbone };
            foreach (var (k, v) in fields) o[k] = v is string text ? JsonValue.Create(text) : JsonValue.Create(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture));
            return o;
        }
        var json = new JsonObject
        {
            ["fit"] = new JsonArray(
                Row("Siren", ("quarterPsnr", 25.0), ("plainPsnr", 30.0), ("iterativePsnr", 32.0)),
                Row("Siren", ("quarterPsnr", 27.0), ("plainPsnr", 28.0), ("iterativePsnr", 30.0)),
                Row("Wire", ("quarterPsnr", 26.0), ("plainPsnr", 20.0), ("iterativePsnr", 27.0))),
            ["restoration"] = new JsonArray(
                Row("Siren", ("task", "sr4x"), ("from", 32), ("bicubicPsnr", 25.0), ("plainPsnr", 25.5), ("iterativePsnr", 24.9)),
                Row("Siren", ("task", "denoise"), ("tau", 30), ("noisyPsnr", 19.0), ("plainPsnr", 26.0), ("iterativePsnr", 27.0))),
            ["occupancy"] = new JsonArray(Row("Siren", ("plainUniformIoU", 0.99), ("iterativeUniformIoU", 0.94))),
        };
        var table = GridTable.From(json, [BackboneKind.Siren, BackboneKind.Wire]);
        CollectionAssert.AreEqual(new[] { "backbone", "fitting (dB)", "SR 4× from 32² (dB)", "denoising τ = 30 (dB)", "occupancy IoU" }, table.Columns.ToArray());
        CollectionAssert.AreEqual(new[] { "Siren", "29.00 → 31.00 (quarter-size bicubic 26.00)", "25.50 → 24.90 (bicubic 25.00) **fails: I-**",
            "26.00 → 27.00 (noisy input 19.00)", "0.9900 → 0.9400 **fails: I-**" }, table.Rows[0].ToArray());
        CollectionAssert.AreEqual(new[] { "Wire", "20.00 → 27.00 (quarter-size bicubic 26.00) **fails: plain**", "–", "–", "–" }, table.Rows[1].ToArray());
        Assert.HasCount(3, table.Failures);
        StringAssert.Contains(table.Failures[2], "Wire fitting (dB): plain below quarter-size bicubic 26.00");
        CollectionAssert.AreEqual(new[] { "Siren SR 4× from 32² (dB): -0.60", "Siren occupancy IoU: -0.0500" }, table.IterativeBelowPlain.ToArray());
    }

    [TestMethod]
    public void SpeedSuiteReportsStepsEndToEndBatchesAndTheGemmReference()
    {
        using var h = new CliHarness();
        // The PyTorch peer has a test of its own (below).
        Environment.SetEnvironmentVariable("IINR_PYTHON", "none");
        try
        {
            h.Run("bench", "--suite", "speed", "--quick", "--speed-sizes", "16,32", "--threads", "1", "--device", "cpu", "--out", h.PathOf("speed"), "--quiet").Succeeded();
        }
        finally
        {
            Environment.SetEnvironmentVariable("IINR_PYTHON", null);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(h.PathOf("speed/results.json")));
        var rows = json.RootElement.GetProperty("speed").EnumerateArray().ToList();
        Assert.HasCount(2, rows, "one row per size on the one thread count asked for");
        foreach (var r in rows)
        {
            foreach (var timing in new[] { "plainMs", "iterativeMs", "plainAutogradMs", "iterativeAutogradMs", "plainInferMs", "iterativeInferMs", "iterativeInferLibTorchMs" })
            {
                var t = r.GetProperty(timing).GetProperty("wall");
                Assert.IsTrue(t.GetProperty("min").GetDouble() > 0 && t.GetProperty("min").GetDouble() <= t.GetProperty("median").GetDouble()
                    && t.GetProperty("median").GetDouble() <= t.GetProperty("max").GetDouble(), $"{timing}: {t}");
            }
            Assert.IsTrue(r.GetProperty("gemmGflops").GetDouble() > 0);
        }
        // End to end: our fit; the PyTorch column left out.
        var fit = json.RootElement.GetProperty("speedFit").EnumerateArray().Single();
        Assert.AreEqual(12, fit.GetProperty("iterations").GetInt32());
        Assert.IsTrue(fit.GetProperty("oursSeconds").EnumerateArray().Single().GetDouble() > 0);
        Assert.AreEqual(0, fit.GetProperty("pytorchSeconds").GetArrayLength());
        // Many images at once: the batched models are the one-by-one models, bit for bit.
        var batch = json.RootElement.GetProperty("speedBatch").EnumerateArray().Single();
        Assert.AreEqual(3, batch.GetProperty("images").GetInt32());
        Assert.AreEqual(0.0, batch.GetProperty("maxDifference").GetDouble());
        // Its ceiling: the backbone's multiply-adds (2·256 + 3·256² + 256·3 for 3×256) ×2 ×3 per row and iteration, at the GEMM rate.
        int side = batch.GetProperty("size").GetInt32(), iterations = batch.GetProperty("iterations").GetInt32();
        Assert.AreEqual(6.0 * side * side * 197_888 * iterations, batch.GetProperty("trainFlops").GetDouble());
        double gemm = batch.GetProperty("gemmGflops").GetDouble();
        Assert.AreEqual(rows.Max(r => r.GetProperty("gemmGflops").GetDouble()), gemm);
        Assert.AreEqual(60 * gemm * 1e9 / batch.GetProperty("trainFlops").GetDouble(), batch.GetProperty("imagesPerMinuteAtGemmRate").GetDouble(), 1e-9);
        // Super-resolution through the forward model: the fused fit and the autograd fit are the same model to float tolerance.
        var sr = json.RootElement.GetProperty("speedSuperResolution").EnumerateArray().Single();
        Assert.AreEqual(8, sr.GetProperty("observedSide").GetInt32());
        Assert.AreEqual(5, sr.GetProperty("iterations").GetInt32());
        Assert.IsTrue(sr.GetProperty("fusedSeconds").GetProperty("wall").GetProperty("median").GetDouble() > 0);
        Assert.IsTrue(sr.GetProperty("autogradSeconds").GetProperty("wall").GetProperty("median").GetDouble() > 0);
        Assert.IsLessThan(1e-3, sr.GetProperty("maxDifference").GetDouble());
        // WIRE: the fused fit and the autograd fit are about equally good (rounding-level differences move Adam's first steps
        // visibly at WIRE's ω0; FusedTrainingTests holds the two paths to float tolerance).
        var wire = json.RootElement.GetProperty("speedWire").EnumerateArray().Single();
        Assert.AreEqual(8, wire.GetProperty("size").GetInt32());
        Assert.AreEqual(3, wire.GetProperty("iterations").GetInt32());
        Assert.IsTrue(wire.GetProperty("fusedSeconds").GetProperty("wall").GetProperty("median").GetDouble() > 0);
        Assert.AreEqual(wire.GetProperty("autogradPsnr").GetDouble(), wire.GetProperty("fusedPsnr").GetDouble(), 0.5);
        // The ML.NET surface row: the same model through Transform and raw Predict, same numbers, a real zip.
        var surface = json.RootElement.GetProperty("surface").EnumerateArray().Single();
        Assert.AreEqual(32 * 32, surface.GetProperty("rows").GetInt32());
        Assert.IsTrue(surface.GetProperty("rawSeconds").GetDouble() > 0 && surface.GetProperty("surfaceSeconds").GetDouble() > 0);
        Assert.IsLessThan(1e-4, surface.GetProperty("maxDifference").GetDouble());
        Assert.IsGreaterThan(100_000L, surface.GetProperty("zipBytes").GetInt64(), "a 3×256 model's weights");
        string md = File.ReadAllText(h.PathOf("speed/results.md"));
        foreach (var heading in new[] { "training step, plain vs I-version", "full-grid inference", "ours vs PyTorch", "many images at once", "super-resolution fit", "WIRE fit", "ML.NET surface" })
            StringAssert.Contains(md, heading);
        StringAssert.Contains(md, "PyTorch column empty: left out (IINR_PYTHON=none)");
    }

    [TestMethod]
    public void PyTorchPeerTrainsTheSameModelWhereInstalled()
    {
        var peer = PyTorchPeer.Find();
        if (peer is null) Assert.Inconclusive($"PyTorch peer not available: {PyTorchPeer.Missing}");
        try
        {
            var r = peer.Train(threads: 1, iterations: 12, size: 16);
            Assert.IsTrue(r.TotalSeconds > 0 && r.MedianStepMs > 0 && r.MedianStepMs < 1000 * r.TotalSeconds, r.ToString());
        }
        finally
        {
            peer.Delete();
        }
    }

    [TestMethod]
    public void BadBenchArgumentsAreUsageErrors()
    {
        using var h = new CliHarness();
        StringAssert.Contains(h.Run("bench", "--suite", "everything").FailedWithOneLine(ExitCodes.Usage).Error, "--suite must be one of");
        StringAssert.Contains(h.Run("bench", "--size", "30").FailedWithOneLine(ExitCodes.Usage).Error, "multiple of 4");
        StringAssert.Contains(h.Run("bench", "--images", h.PathOf("nowhere")).FailedWithOneLine(ExitCodes.Failure).Error, "nowhere");
        StringAssert.Contains(h.Run("bench", "--mesh", h.PathOf("none.obj")).FailedWithOneLine(ExitCodes.Failure).Error, "none.obj");
        StringAssert.Contains(h.Run("bench", "--backbones", "siren,relu").FailedWithOneLine(ExitCodes.Usage).Error, "got 'relu'");
        StringAssert.Contains(h.Run("bench", "--backbones", ",").FailedWithOneLine(ExitCodes.Usage).Error, "--backbones names no backbone");
    }

    [TestMethod]
    public void SignTestMatchesTheBinomialDistribution()
    {
        Assert.AreEqual(1.0, SignTest.TwoSidedP(0, 0));
        Assert.AreEqual(1.0, SignTest.TwoSidedP(1, 1));
        Assert.AreEqual(2 * Math.Pow(0.5, 6), SignTest.TwoSidedP(6, 0), 1e-15);          // 0.03125
        Assert.AreEqual(2 * (1 + 8) / 256.0, SignTest.TwoSidedP(7, 1), 1e-15);          // 0.0703125
        Assert.AreEqual(SignTest.TwoSidedP(2, 9), SignTest.TwoSidedP(9, 2), 1e-15);
        var (w, l, p) = SignTest.Of([3, 2, 5, 5], [1, 4, 4, 5]);
        Assert.AreEqual((2, 1), (w, l));
        Assert.AreEqual(1.0, p);
        // A small p keeps two significant digits instead of printing as 0.000 (17 of 18 pairs: 38 / 2^18 = 0.000145).
        Assert.AreEqual("p = 0.00014", SignTest.FormatP(SignTest.TwoSidedP(17, 1)));
        Assert.AreEqual("p = 0.0075", SignTest.FormatP(SignTest.TwoSidedP(15, 3)));
        Assert.AreEqual("p = 0.070", SignTest.FormatP(SignTest.TwoSidedP(7, 1)));
        Assert.AreEqual("p = 1.000", SignTest.FormatP(1));
    }
}
