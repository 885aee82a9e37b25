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
    public void FinersFirstLayerBiasesSpanTheBiasRange()
    {
        // The first layer holds ω0·b (the scale folded in); b ~ U(−k, k).
        const double omega0 = 8;
        foreach (double k in new[] { 1.0, 0.3 })
        {
            using var gen = new Generator(3);
            using var finer = (FinerBackbone)Backbone.Create(new InrOptions { Backbone = BackboneKind.Finer, HiddenLayers = 1, HiddenSize = 512, Omega0 = omega0, FinerBiasRange = k }, 2, 3, gen);
            var b = Values(finer.named_parameters().First(t => t.name == "layers.0.bias").parameter).Select(v => v.Real / omega0).ToArray();
            Assert.IsLessThanOrEqualTo(k + 1e-6, b.Max(Math.Abs), $"k = {k}: inside the range");
            Assert.IsGreaterThan(0.9 * k, b.Max(Math.Abs), $"k = {k}: 512 draws reach near its end");
        }
        Assert.AreEqual(nameof(InrOptions.FinerBiasRange),
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(new InrOptions { FinerBiasRange = double.NaN }.Validate).ParamName);
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
    public void WireForwardIsTheAuthorsComplexGaborFormula()
    {
        // WIRE's code: z = W·x + b; first layer real, later layers complex; each activation exp(iω0·z − |s0·z|²),
        // with the envelope on the complex z (so Im z scales the magnitude by exp(−ω0·Im z)); output Re(W·h + b).
        const double omega0 = 10, s0 = 4;
        using var gen = new Generator(5);
        using var wire = new WireBackbone(3, 1, 2, 8, omega0, s0, gen);
        var p = wire.named_parameters().ToDictionary(t => t.name, t => Values(t.parameter));
        using var x = torch.rand([6, 3], generator: gen).mul(2).sub(1);
        using var y = wire.forward(x);
        float[] xs = x.data<float>().ToArray(), ys = y.data<float>().ToArray();
        for (int r = 0; r < 6; r++)
        {
            var h = Enumerable.Range(0, 3).Select(i => new System.Numerics.Complex(xs[3 * r + i], 0)).ToArray();
            for (int l = 0; l < 4; l++)
            {
                var (w, b) = (p[$"layers.{l}.weight"], p[$"layers.{l}.bias"]);
                var z = b.Select((bj, j) => bj + h.Select((hi, i) => w[j * h.Length + i] * hi).Aggregate(System.Numerics.Complex.Add)).ToArray();
                var i1 = System.Numerics.Complex.ImaginaryOne;
                h = l == 3 ? z : z.Select(v => System.Numerics.Complex.Exp(i1 * omega0 * v - s0 * s0 * v.Magnitude * v.Magnitude)).ToArray();
            }
            Assert.AreEqual(h[0].Real, ys[r], 1e-4 * (1 + Math.Abs(h[0].Real)), $"row {r}");
        }
    }

    // A parameter's values as complex numbers (real tensors have zero imaginary parts).
    static System.Numerics.Complex[] Values(Tensor t)
    {
        if (!t.is_complex()) return t.data<float>().Select(v => new System.Numerics.Complex(v, 0)).ToArray();
        using var r = torch.view_as_real(t).contiguous();
        float[] f = r.data<float>().ToArray();
        return Enumerable.Range(0, f.Length / 2).Select(k => new System.Numerics.Complex(f[2 * k], f[2 * k + 1])).ToArray();
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
