using IINR.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

[TestClass]
public sealed class IterativeSamplerTests
{
    // Stub network with known outputs: f(g, t) = 0.5·g + t + 1 (elementwise).
    static Tensor Stub(Tensor g, double t) => g.mul(0.5).add(t + 1);

    static double Expected(double z, int steps)
    {
        double g = z;
        for (int k = 0; k < steps; k++)
        {
            double t = 1.0 - (double)k / steps, delta = 1.0 / steps;
            double f = 0.5 * g + t + 1;
            g = delta / t * f + (1 - delta / t) * g;
        }
        return g;
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(8)]
    public void MatchesAlgorithm2Arithmetic(int steps)
    {
        var zs = new[] { -1.5f, 0f, 0.25f, 2f };
        using var z = torch.tensor(zs, ScalarType.Float64);
        using var g = IterativeSampler.Run(z, steps, Stub);
        var got = g.data<double>().ToArray();
        for (int i = 0; i < zs.Length; i++)
            Assert.AreEqual(Expected(zs[i], steps), got[i], 1e-12, $"steps={steps}, z={zs[i]}");
    }

    [TestMethod]
    public void TwoStepsByHand()
    {
        // z = 2: t = 1: f = 0.5·2 + 2 = 3, g = 0.5·3 + 0.5·2 = 2.5; t = 0.5: f = 1.25 + 1.5 = 2.75 (last step returns f).
        using var z = torch.tensor(new[] { 2.0 });
        using var g = IterativeSampler.Run(z, 2, Stub);
        Assert.AreEqual(2.75, g.item<double>(), 1e-15);
    }

    [TestMethod]
    public void EvaluatesAtTheDocumentedTimes()
    {
        var seen = new List<double>();
        using var z = torch.zeros(1);
        using var g = IterativeSampler.Run(z, 4, (x, t) => { seen.Add(t); return x.add(1); });
        CollectionAssert.AreEqual(new[] { 1.0, 0.75, 0.5, 0.25 }, seen);
        CollectionAssert.AreEqual(new[] { 1.0, 0.75, 0.5, 0.25 }, IterativeSampler.Times(4));
    }

    [TestMethod]
    public void ZeroStepsIsRejected()
    {
        using var z = torch.zeros(1);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => IterativeSampler.Run(z, 0, Stub));
        Assert.AreEqual("steps", e.ParamName);
    }
}
