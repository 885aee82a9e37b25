using System.Text.Json;
using IINR.Cli;
using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class ImageCommandTests
{
    static double Number(JsonElement report, string name)
    {
        Assert.IsTrue(report.TryGetProperty(name, out var v), $"report field '{name}' is missing");
        Assert.AreEqual(JsonValueKind.Number, v.ValueKind, $"report field '{name}' should be a number: {v}");
        return v.GetDouble();
    }

    [TestMethod]
    public void FitWritesReconstructionModelCurveAndReport()
    {
        using var h = new CliHarness();
        var run = h.RunTiny("fit", "--input", "builtin:testscene:24", "--output", h.PathOf("out/recon.png"), "--model", h.PathOf("m.zip"),
            "--curve", h.PathOf("curve.png"), "--report", h.PathOf("fit.json")).Succeeded();
        StringAssert.Contains(run.Out, "iteration 12/12", "plain progress lines when the output is not a terminal");
        StringAssert.Contains(run.Out, "PSNR");

        var recon = ImageFile.Load(h.PathOf("out/recon.png"));
        Assert.AreEqual("24×24×3", recon.Shape);
        Assert.IsTrue(new FileInfo(h.PathOf("m.zip")).Length > 1000);
        var curve = ImageFile.Load(h.PathOf("curve.png"));
        Assert.IsTrue(curve.Width >= 400 && curve.Height >= 200, "curve PNG");

        var r = h.ReadReport("fit.json");
        Assert.AreEqual("fit", r.GetProperty("command").GetString());
        double psnr = Number(r, "psnr"), ssim = Number(r, "ssim");
        Assert.IsTrue(psnr > 0 && psnr < 60, $"psnr {psnr}");
        var points = r.GetProperty("curve").EnumerateArray().Select(p => p.GetProperty("psnr").GetDouble()).ToArray();
        Assert.IsTrue(points[^1] > points[0], "training improves the fit");
        Assert.IsTrue(ssim > -1 && ssim <= 1, $"ssim {ssim}");
        Assert.AreEqual(12, Number(r, "iterations"));
        Assert.AreEqual(Number(r, "backboneParameters") + Number(r, "headParameters"), Number(r, "parameters"));
        Assert.IsTrue(Number(r, "headParameters") > 0, "the iterative heads are counted");
        Assert.IsTrue(Number(r, "trainSeconds") > 0);
        Assert.IsTrue(Number(r, "inferSeconds") >= 0);
        Assert.AreEqual("I-SIREN", r.GetProperty("model").GetString());
        Assert.IsTrue(r.GetProperty("curve").GetArrayLength() >= 5, "about 20 curve points, at least one per 10% of the run");
        Assert.AreEqual("siren", r.GetProperty("options").GetProperty("backbone").GetString(), "every model option is in the report");
    }

    [TestMethod]
    public void FitReadsAnImageFileAndTheBaselineHasNoHeads()
    {
        using var h = new CliHarness();
        ImageFile.SavePng(TestScene.RenderGrey(20, 16), h.PathOf("grey.png"));
        h.RunTiny("fit", "--input", h.PathOf("grey.png"), "--baseline", "--backbone", "gauss", "--quiet", "--output", h.PathOf("r.png"), "--report", h.PathOf("r.json"))
            .Succeeded();
        var r = h.ReadReport("r.json");
        Assert.AreEqual("Gauss", r.GetProperty("model").GetString());
        Assert.AreEqual(0, Number(r, "headParameters"));
        Assert.AreEqual(1, Number(r, "channels"));
        Assert.AreEqual("20×16×1", ImageFile.Load(h.PathOf("r.png")).Shape);
    }

    [TestMethod]
    public void FourierFeaturesFitAtTheirPresetGateAndGateChoosesAnother()
    {
        using var h = new CliHarness();
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--backbone", "fourier", "--quiet", "--report", h.PathOf("preset.json")).Succeeded();
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--backbone", "fourier", "--gate", "identity", "--quiet", "--report", h.PathOf("identity.json"))
            .Succeeded();
        var preset = h.ReadReport("preset.json");
        var identity = h.ReadReport("identity.json");
        Assert.AreEqual("twoSigmoid", preset.GetProperty("options").GetProperty("gate").GetString(), "Fourier features fit with a gate around 1");
        Assert.AreEqual("identity", identity.GetProperty("options").GetProperty("gate").GetString());
        Assert.AreNotEqual(Number(preset, "psnr"), Number(identity, "psnr"), "the gate reaches the model");
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--gate", "one-plus-tanh", "--quiet", "--report", h.PathOf("siren.json")).Succeeded();
        Assert.AreEqual("onePlusTanh", h.ReadReport("siren.json").GetProperty("options").GetProperty("gate").GetString());
    }

    [TestMethod]
    public void FourierFlagsChooseTheEncodingAndItsSize()
    {
        using var h = new CliHarness();
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--backbone", "fourier", "--fourier-encoding", "positional", "--fourier-octaves", "3",
            "--quiet", "--report", h.PathOf("pe.json")).Succeeded();
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--backbone", "fourier", "--fourier-features", "8", "--fourier-sigma", "2.5",
            "--quiet", "--report", h.PathOf("rff.json")).Succeeded();
        h.RunTiny("fit", "--input", "builtin:testscene:16", "--backbone", "fourier", "--quiet", "--report", h.PathOf("default.json")).Succeeded();
        var pe = h.ReadReport("pe.json").GetProperty("options");
        var rff = h.ReadReport("rff.json").GetProperty("options");
        Assert.AreEqual("positional", pe.GetProperty("fourierEncoding").GetString());
        Assert.AreEqual(3, pe.GetProperty("fourierOctaves").GetInt32());
        Assert.AreEqual("gaussian", rff.GetProperty("fourierEncoding").GetString());
        Assert.AreEqual(8, rff.GetProperty("fourierFeatureCount").GetInt32());
        Assert.AreEqual(2.5, rff.GetProperty("fourierScale").GetDouble());
        // The encoding reaches the network: 2·D·L = 12 or 2·m = 16 encoded inputs instead of the default 512.
        long Parameters(string report) => h.ReadReport(report).GetProperty("parameters").GetInt64();
        Assert.IsLessThan(Parameters("default.json"), Parameters("pe.json"));
        int width = pe.GetProperty("hiddenSize").GetInt32();
        Assert.AreEqual(Parameters("pe.json") + (16 - 12) * width, Parameters("rff.json"), "4 more encoded inputs into the first layer");
        StringAssert.Contains(h.Run("fit", "--backbone", "fourier", "--fourier-octaves", "0").FailedWithOneLine(ExitCodes.Usage).Error, "--fourier-octaves");
        StringAssert.Contains(h.Run("fit", "--backbone", "fourier", "--fourier-features", "0").FailedWithOneLine(ExitCodes.Usage).Error, "--fourier-features");
        StringAssert.Contains(h.Run("fit", "--fourier-encoding", "wavelet").FailedWithOneLine(ExitCodes.Usage).Error, "--fourier-encoding");
    }

    [TestMethod]
    public void WeightsPerValueSizesTheNetworkToABudget()
    {
        using var h = new CliHarness();
        string[] small = ["--iterations", "12", "--hidden-layers", "1", "--threads", "1", "--device", "cpu", "--quiet"];
        h.Run(["fit", "--input", "builtin:testscene:32", "--backbone", "fourier", "--weights-per-value", "0.5", "--report", h.PathOf("ff.json"), .. small]).Succeeded();
        h.Run(["fit", "--input", "builtin:testscene:32", "--weights-per-value", "0.5", "--report", h.PathOf("siren.json"), .. small]).Succeeded();
        long values = 32 * 32 * 3;
        var ff = h.ReadReport("ff.json");
        var options = ff.GetProperty("options");
        // Fourier features on the positional encoding to 32 samples' Nyquist frequency (5 octaves), at the small-network rate.
        Assert.AreEqual("positional", options.GetProperty("fourierEncoding").GetString());
        Assert.AreEqual(5, options.GetProperty("fourierOctaves").GetInt32());
        Assert.AreEqual(1e-2, ff.GetProperty("learningRate").GetDouble());
        Assert.IsLessThanOrEqualTo(0.5 * values, ff.GetProperty("backboneParameters").GetInt64());
        var expected = TaskPresets.FittingForBudget(TaskPresets.Fitting(BackboneKind.FourierFeatures) with { HiddenLayers = 1 }, 0.5, 2, 3, values, 32);
        Assert.AreEqual(expected.HiddenSize, options.GetProperty("hiddenSize").GetInt32());
        var siren = h.ReadReport("siren.json");
        Assert.AreEqual(TaskPresets.WidthForWeightsPerValue(0.5, values, new InrOptions { HiddenLayers = 1 }, 2, 3), siren.GetProperty("options").GetProperty("hiddenSize").GetInt32());
        Assert.IsGreaterThan(0.45 * values, (double)siren.GetProperty("backboneParameters").GetInt64(), "the widest network within the budget");
        StringAssert.Contains(h.Run("fit", "--weights-per-value", "0").FailedWithOneLine(ExitCodes.Usage).Error, "--weights-per-value must be a positive number");
        StringAssert.Contains(h.Run("fit", "--weights-per-value", "0.2", "--hidden-size", "8").FailedWithOneLine(ExitCodes.Usage).Error, "or --hidden-size, not both");
        StringAssert.Contains(h.Run("fit", "-b", "fourier", "--weights-per-value", "0.2", "--fourier-encoding", "gaussian").FailedWithOneLine(ExitCodes.Usage).Error,
            "or --fourier-encoding, not both");
    }

    [TestMethod]
    public void QuietPrintsNothing()
    {
        using var h = new CliHarness();
        var run = h.RunTiny("fit", "--input", "builtin:testscene:12", "--quiet").Succeeded();
        Assert.AreEqual("", run.Out);
    }

    [TestMethod]
    public void RenderQueriesASavedModelAtAnyResolution()
    {
        using var h = new CliHarness();
        h.RunTiny("fit", "--input", "builtin:testscene:16x12", "--model", h.PathOf("m.zip"), "--quiet").Succeeded();
        h.Run("render", "--model", h.PathOf("m.zip"), "--width", "40", "--height", "20", "--output", h.PathOf("a.png"), "--report", h.PathOf("a.json")).Succeeded();
        Assert.AreEqual("40×20×3", ImageFile.Load(h.PathOf("a.png")).Shape);
        var r = h.ReadReport("a.json");
        Assert.AreEqual(2, Number(r, "steps"));
        Assert.AreEqual(16, Number(r, "fittedWidth"));
        h.Run("render", "--model", h.PathOf("m.zip"), "--width", "32", "--output", h.PathOf("b.png"), "--quiet").Succeeded();
        Assert.AreEqual("32×24×3", ImageFile.Load(h.PathOf("b.png")).Shape, "one side given: the other keeps the aspect ratio");
        h.Run("render", "--model", h.PathOf("m.zip"), "--output", h.PathOf("c.png"), "--steps", "1", "--quiet").Succeeded();
        Assert.AreEqual("16×12×3", ImageFile.Load(h.PathOf("c.png")).Shape, "no size: the fitted size");
        var bad = h.Run("render", "--model", h.PathOf("m.zip"), "--output", h.PathOf("d.png"), "--steps", "0").FailedWithOneLine(ExitCodes.Usage);
        StringAssert.Contains(bad.Error, "--steps: Inference steps must be between 1 and 1000; got 0", "the library's check, named by the flag");
    }

    [TestMethod]
    public void SuperResolutionReportsBicubicComparison()
    {
        using var h = new CliHarness();
        h.Run("degrade", "--input", "builtin:testscene:32", "--downscale", "2", "--output", h.PathOf("lr.png"), "--quiet").Succeeded();
        h.Run("degrade", "--input", "builtin:testscene:32", "--output", h.PathOf("hr.png"), "--quiet").Succeeded();
        h.RunTiny("superres", "--input", h.PathOf("lr.png"), "--scale", "2", "--output", h.PathOf("sr.png"), "--reference", h.PathOf("hr.png"),
            "--bicubic", h.PathOf("bic.png"), "--model", h.PathOf("sr.zip"), "--report", h.PathOf("sr.json"), "--quiet").Succeeded();
        Assert.AreEqual("32×32×3", ImageFile.Load(h.PathOf("sr.png")).Shape);
        Assert.AreEqual("32×32×3", ImageFile.Load(h.PathOf("bic.png")).Shape);
        var r = h.ReadReport("sr.json");
        foreach (var name in new[] { "psnr", "ssim", "bicubicPsnr", "bicubicSsim", "trainPsnr", "trainSeconds", "inferSeconds", "parameters" })
            Assert.IsTrue(double.IsFinite(Number(r, name)), name);
        Assert.IsTrue(Number(r, "bicubicPsnr") > 12, "bicubic of a 2× area-downscaled TestScene is a sane baseline");
        Assert.AreEqual(2, Number(r, "trainScale"));
        Assert.AreEqual(TaskPresets.SuperResolutionBackProjectionRounds, Number(r, "backProjectionRounds"));
        Assert.AreEqual(15, r.GetProperty("options").GetProperty("omega0").GetDouble(), "superres's measured ω0 default for SIREN");
        Assert.AreEqual(JsonValueKind.Null, r.GetProperty("options").GetProperty("headLearningRate").ValueKind, "no head rate unless asked for");
        Assert.AreEqual("resampled", r.GetProperty("options").GetProperty("noise").GetString(), "superres's preset resamples Z");
        // The heads' own learning rate reaches the model, and trains a different one.
        h.RunTiny("superres", "--input", h.PathOf("lr.png"), "--scale", "2", "--output", h.PathOf("srh.png"), "--reference", h.PathOf("hr.png"),
            "--head-lr", "0.0003", "--report", h.PathOf("srh.json"), "--quiet").Succeeded();
        var rh = h.ReadReport("srh.json");
        Assert.AreEqual(0.0003, rh.GetProperty("options").GetProperty("headLearningRate").GetDouble());
        Assert.AreNotEqual(Number(r, "psnr"), Number(rh, "psnr"));
        // So does a fixed Z instead of the preset's resampled one.
        h.RunTiny("superres", "--input", h.PathOf("lr.png"), "--scale", "2", "--output", h.PathOf("srz.png"), "--reference", h.PathOf("hr.png"),
            "--z", "fixed", "--report", h.PathOf("srz.json"), "--quiet").Succeeded();
        var rz = h.ReadReport("srz.json");
        Assert.AreEqual("fixed", rz.GetProperty("options").GetProperty("noise").GetString());
        Assert.AreNotEqual(Number(r, "psnr"), Number(rz, "psnr"));
        // Without back-projection the output is the network's render: the saved model rendered at the same size.
        h.RunTiny("superres", "--input", h.PathOf("lr.png"), "--scale", "2", "--output", h.PathOf("sr0.png"), "--back-projection", "0",
            "--model", h.PathOf("sr0.zip"), "--report", h.PathOf("sr0.json"), "--quiet").Succeeded();
        Assert.AreEqual(0, Number(h.ReadReport("sr0.json"), "backProjectionRounds"));
        h.Run("render", "--model", h.PathOf("sr0.zip"), "--width", "32", "--output", h.PathOf("sr0r.png"), "--quiet").Succeeded();
        CollectionAssert.AreEqual(ImageFile.Load(h.PathOf("sr0r.png")).Data, ImageFile.Load(h.PathOf("sr0.png")).Data);
        CollectionAssert.AreNotEqual(ImageFile.Load(h.PathOf("sr.png")).Data, ImageFile.Load(h.PathOf("sr0.png")).Data, "the preset's rounds change the output");

        // Zero-shot at 3× without a reference; the saved model renders in the low-resolution image's frame.
        var run = h.RunTiny("superres", "--input", h.PathOf("lr.png"), "--scale", "3", "--output", h.PathOf("sr3.png")).Succeeded();
        Assert.AreEqual("48×48×3", ImageFile.Load(h.PathOf("sr3.png")).Shape);
        StringAssert.Contains(run.Out, "16×16 → 48×48");
        h.Run("render", "--model", h.PathOf("sr.zip"), "--width", "64", "--output", h.PathOf("sr4.png"), "--quiet").Succeeded();
        Assert.AreEqual("64×64×3", ImageFile.Load(h.PathOf("sr4.png")).Shape);
    }

    [TestMethod]
    public void DenoiseChoosesTheStepsAutomaticallyOrTakesThemAsGiven()
    {
        using var h = new CliHarness();
        h.Run("degrade", "--input", "builtin:testscene:24", "--photon", "30", "--output", h.PathOf("noisy.png"), "--quiet").Succeeded();
        h.Run("degrade", "--input", "builtin:testscene:24", "--output", h.PathOf("clean.png"), "--quiet").Succeeded();
        var run = h.RunTiny("denoise", "--input", h.PathOf("noisy.png"), "--output", h.PathOf("d.png"), "--reference", h.PathOf("clean.png"),
            "--model", h.PathOf("d.zip"), "--report", h.PathOf("d.json")).Succeeded();
        StringAssert.Contains(run.Out, "(auto: held-out MSE");
        var r = h.ReadReport("d.json");
        int steps = (int)Number(r, "steps");
        Assert.IsTrue(steps is >= 1 and <= 8, $"steps {steps}");
        Assert.AreEqual("auto", r.GetProperty("stepsMode").GetString());
        var scores = r.GetProperty("stepScores");
        Assert.AreEqual(8, scores.GetArrayLength());
        double best = scores.EnumerateArray().Min(s => s.GetProperty("heldOutMse").GetDouble());
        Assert.AreEqual(best, scores[steps - 1].GetProperty("heldOutMse").GetDouble(), "the chosen steps have the smallest held-out error");
        Assert.AreEqual(Math.Ceiling(0.05 * 24 * 24), Number(r, "heldOutPixels"));
        Assert.IsTrue(double.IsFinite(Number(r, "psnr")) && double.IsFinite(Number(r, "noisyPsnr")));
        Assert.IsFalse(r.GetProperty("refitted").GetBoolean());
        Assert.AreEqual(10, r.GetProperty("options").GetProperty("omega0").GetDouble(), "denoise's measured ω0 default for SIREN");
        Assert.AreEqual("24×24×3", ImageFile.Load(h.PathOf("d.png")).Shape);

        // The chosen steps travel with the saved model.
        h.Run("render", "--model", h.PathOf("d.zip"), "--output", h.PathOf("dr.png"), "--report", h.PathOf("dr.json"), "--quiet").Succeeded();
        Assert.AreEqual(steps, Number(h.ReadReport("dr.json"), "steps"));

        h.RunTiny("denoise", "--input", h.PathOf("noisy.png"), "--output", h.PathOf("d3.png"), "--steps", "3", "--omega0", "7", "--report", h.PathOf("d3.json"), "--quiet").Succeeded();
        var r3 = h.ReadReport("d3.json");
        Assert.AreEqual(7, r3.GetProperty("options").GetProperty("omega0").GetDouble(), "--omega0 overrides the default");
        Assert.AreEqual(3, Number(r3, "steps"));
        Assert.AreEqual("fixed", r3.GetProperty("stepsMode").GetString());
        Assert.AreEqual(JsonValueKind.Null, r3.GetProperty("psnr").ValueKind, "no reference, no PSNR");
    }

    [TestMethod]
    public void MainJobRunsWithoutACommand()
    {
        using var h = new CliHarness();
        string dir = h.PathOf("main");
        var run = h.RunTiny("--size", "16", "--output-dir", dir).Succeeded();
        StringAssert.Contains(run.Out, "gain of I-SIREN over SIREN");
        foreach (var f in new[] { "testscene.png", "siren.png", "i-siren.png", "curve.png", "report.json" })
            Assert.IsTrue(File.Exists(Path.Combine(dir, f)), f);
        var r = h.ReadReport("main/report.json");
        double plain = r.GetProperty("plain").GetProperty("psnr").GetDouble(), iterative = r.GetProperty("iterative").GetProperty("psnr").GetDouble();
        Assert.AreEqual(iterative - plain, r.GetProperty("gain").GetDouble(), 1e-5);
        Assert.AreEqual(12, r.GetProperty("iterative").GetProperty("iterations").GetInt32());
    }

    [TestMethod]
    public void HelpListsTheCommands()
    {
        using var h = new CliHarness();
        var run = h.Run("--help").Succeeded();
        foreach (var c in new[] { "fit", "render", "superres", "denoise", "degrade", "occupancy" }) StringAssert.Contains(run.Out, c);
        StringAssert.Contains(h.Run("degrade", "--help").Succeeded().Out, "clipped");
    }
}
