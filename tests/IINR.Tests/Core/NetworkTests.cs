using IINR.Trainers;
using IINR.Trainers.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

[TestClass]
public sealed class NetworkTests
{
    [TestMethod]
    [DataRow(3, 0.005, 0.03, DisplayName = "RGB: the paper's 0.5–2 %")]
    [DataRow(1, 0.002, 0.004, DisplayName = "grey: smaller still, about 0.3 %")]
    public void HeadsAreASmallFractionOfA3x256Backbone(int channels, double min, double max)
    {
        using var gen = new Generator(0);
        using var net = new IterativeInr(new InrOptions { HiddenLayers = 3, HiddenSize = 256 }, 2, channels, gen);
        double ratio = (double)net.HeadParameterCount / net.BackboneParameterCount;
        Assert.IsTrue(ratio >= min && ratio <= max, $"C={channels}: heads {net.HeadParameterCount} / backbone {net.BackboneParameterCount} = {ratio:P2}");
    }

    [TestMethod]
    public void PaperSizesForRgb()
    {
        using var gen = new Generator(0);
        using var net = new IterativeInr(new InrOptions(), 2, 3, gen);
        // FeedbackNet 6→30→3 (303) + FuseNet 6→100→3 (1,003); SIREN 2→256→256→256→256→3.
        Assert.AreEqual(1306, net.HeadParameterCount);
        Assert.AreEqual(2 * 256 + 256 + 3 * (256 * 256 + 256) + 256 * 3 + 3, net.BackboneParameterCount);
        Assert.AreEqual(1170, net.HeadMultiplyAdds);

        // Grey: FeedbackNet 4→30→1 (181) + FuseNet 2→100→1 (401).
        using var grey = new IterativeInr(new InrOptions(), 2, 1, gen);
        Assert.AreEqual(582, grey.HeadParameterCount);
    }

    [TestMethod]
    public void PlainModeHasNoHeadsAndReturnsTheBackbone()
    {
        using var gen = new Generator(0);
        using var net = new IterativeInr(new InrOptions { Iterative = false, HiddenSize = 32 }, 2, 3, gen);
        Assert.AreEqual(0, net.HeadParameterCount);
        using var x = torch.rand(5, 2);
        using var b = net.Backbone(x);
        using var p = net.Predict(b, torch.zeros(5, 3), x, torch.zeros(5, 1));
        Assert.IsTrue(p.equal(b).all().item<bool>());
    }

    [TestMethod]
    public void EveryBackboneMapsNxDToNxC()
    {
        foreach (var kind in Enum.GetValues<BackboneKind>())
            foreach (int d in new[] { 1, 2, 3 })
            {
                using var gen = new Generator(1);
                using var net = new IterativeInr(new InrOptions { Backbone = kind, HiddenSize = 16, HiddenLayers = 1, FourierFeatureCount = 8 }, d, 2, gen);
                using var x = torch.rand(7, d).mul(2).sub(1);
                using var b = net.Backbone(x);
                CollectionAssert.AreEqual(new long[] { 7, 2 }, b.shape, $"{kind}, D={d}");
                Assert.AreEqual(ScalarType.Float32, b.dtype, kind.ToString());
                Assert.IsTrue(b.isfinite().all().item<bool>(), kind.ToString());
            }
    }

    [TestMethod]
    public void WireUsesComplexWeightsAndNarrowerWidth()
    {
        using var gen = new Generator(0);
        var wire = new WireBackbone(2, 3, 2, 256, 20, 10, gen);
        Assert.AreEqual(181, wire.ComplexWidth); // ⌊256/√2⌋
        Assert.IsTrue(wire.parameters().Any(p => p.is_complex()));
        wire.Dispose();
    }

    [TestMethod]
    public void SirenInitialisationFollowsThePaper()
    {
        using var gen = new Generator(3);
        using var siren = new SirenBackbone(2, 3, 1, 64, 30, gen);
        var p = siren.named_parameters().ToDictionary(t => t.name, t => t.parameter);
        // Stored folded (W' = ω0·W); the paper's bounds apply to W.
        double first = p["layers.0.weight"].abs().max().item<float>() / 30;
        double hidden = p["layers.1.weight"].abs().max().item<float>() / 30;
        Assert.IsTrue(first <= 1.0 / 2 && first > 0.4, $"first layer bound 1/in = 0.5, max |w| = {first}");
        double bound = Math.Sqrt(6.0 / 64) / 30;
        Assert.IsTrue(hidden <= bound && hidden > 0.8 * bound, $"hidden bound {bound}, max |w| = {hidden}");
    }
}
