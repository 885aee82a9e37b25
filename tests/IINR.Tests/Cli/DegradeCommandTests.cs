using System.Text.Json;
using IINR.Signals;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class DegradeCommandTests
{
    [TestMethod]
    public void PhotonNoiseHasTheSimulatorsMeanAndVariance()
    {
        // A flat grey image: y = (Poisson(τ·I) + σ·N(0, 1)) / τ has mean I and variance I/τ + σ²/τ².
        // At I = 0.5 the PNG's clipping to [0, 1] is 3.4 standard deviations away and its rounding adds 1/(12·255²).
        using var h = new CliHarness();
        const float level = 0.5f;
        var flat = new SignalImage(32, 32, 3);
        Array.Fill(flat.Data, level);
        ImageFile.SavePng(flat, h.PathOf("flat.png"));
        h.Run("degrade", "--input", h.PathOf("flat.png"), "--photon", "30", "--readout", "2", "--seed", "5", "--output", h.PathOf("n.png"),
            "--report", h.PathOf("n.json"), "--quiet").Succeeded();
        var noisy = ImageFile.Load(h.PathOf("n.png"));
        double mean = noisy.Data.Average(v => (double)v);
        double variance = noisy.Data.Sum(v => (v - mean) * (v - mean)) / (noisy.Data.Length - 1);
        double expected = level / 30.0 + 4.0 / 900.0;
        Assert.AreEqual(level, mean, 0.01, "mean");                       // standard error 0.0026
        Assert.AreEqual(expected, variance, 0.12 * expected, "variance"); // relative standard error 2.6 %
        var r = h.ReadReport("n.json");
        Assert.AreEqual(30, r.GetProperty("photonTau").GetDouble());
        Assert.AreEqual(2, r.GetProperty("readoutSigma").GetDouble());
        Assert.IsTrue(r.GetProperty("clippedFraction").GetDouble() < 0.01);

        // The seed decides the noise.
        h.Run("degrade", "--input", h.PathOf("flat.png"), "--photon", "30", "--seed", "5", "--output", h.PathOf("n2.png"), "--quiet").Succeeded();
        h.Run("degrade", "--input", h.PathOf("flat.png"), "--photon", "30", "--seed", "6", "--output", h.PathOf("n3.png"), "--quiet").Succeeded();
        CollectionAssert.AreEqual(File.ReadAllBytes(h.PathOf("n.png")), File.ReadAllBytes(h.PathOf("n2.png")));
        CollectionAssert.AreNotEqual(File.ReadAllBytes(h.PathOf("n.png")), File.ReadAllBytes(h.PathOf("n3.png")));
    }

    [TestMethod]
    public void DownscaleAveragesBlocksAndCropsTheRemainder()
    {
        using var h = new CliHarness();
        var run = h.Run("degrade", "--input", "builtin:testscene:30", "--downscale", "4", "--output", h.PathOf("d.png"), "--report", h.PathOf("d.json")).Succeeded();
        StringAssert.Contains(run.Out, "cropped 2 columns and 2 rows");
        var small = ImageFile.Load(h.PathOf("d.png"));
        Assert.AreEqual("7×7×3", small.Shape);
        var expected = Resampling.DownscaleArea(Resampling.Crop(TestScene.Render(30, 30), 0, 0, 28, 28), 4);
        for (int i = 0; i < expected.Data.Length; i++)
            Assert.AreEqual(expected.Data[i], small.Data[i], 0.5 / 255 + 1e-6, $"value {i} (8-bit rounding only)");
        var r = h.ReadReport("d.json");
        Assert.AreEqual(2, r.GetProperty("croppedWidth").GetInt32());
        Assert.AreEqual(JsonValueKind.Null, r.GetProperty("photonTau").ValueKind);
    }
}
