using IINR.Trainers;
using IINR.Trainers.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

[TestClass]
public sealed class FourierFeaturesTests
{
    [TestMethod]
    public void NyquistOctavesReachHalfTheSamplingRate()
    {
        // N samples across [-1, 1] have Nyquist frequency πN/2; the last octave π·2^(L−1) must not exceed it.
        Assert.AreEqual(6, FourierFeaturesBackbone.NyquistOctaves(64));
        Assert.AreEqual(7, FourierFeaturesBackbone.NyquistOctaves(128));
        Assert.AreEqual(9, FourierFeaturesBackbone.NyquistOctaves(768));
        Assert.AreEqual(1, FourierFeaturesBackbone.NyquistOctaves(2));
        foreach (int n in new[] { 2, 3, 64, 100, 768 })
        {
            int l = FourierFeaturesBackbone.NyquistOctaves(n);
            Assert.IsTrue(Math.Pow(2, l - 1) <= n / 2.0 && Math.Pow(2, l) > n / 2.0, $"N = {n}: L = {l}");
        }
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FourierFeaturesBackbone.NyquistOctaves(1));
    }

    [TestMethod]
    public void PositionalEncodingIsSinAndCosOfEveryAxisAtEveryOctave()
    {
        using var gen = new Generator(0);
        using var net = FourierFeaturesBackbone.Positional(2, 1, 1, 8, 3, gen);
        Assert.AreEqual(6, net.FeatureCount);
        using var x = torch.tensor(new float[] { 0.3f, -0.7f }, [1, 2]);
        using var e = net.Encode(x);
        var v = e.data<float>().ToArray();
        Assert.AreEqual(12, v.Length);
        for (int d = 0; d < 2; d++)
            for (int k = 0; k < 3; k++)
            {
                double phase = Math.PI * Math.Pow(2, k) * (d == 0 ? 0.3 : -0.7);
                Assert.AreEqual(Math.Sin(phase), v[d * 3 + k], 1e-5, $"sin, axis {d}, octave {k}");
                Assert.AreEqual(Math.Cos(phase), v[6 + d * 3 + k], 1e-5, $"cos, axis {d}, octave {k}");
            }
    }

    [TestMethod]
    public void OptionsChooseTheEncodingAndCheckTheOctaves()
    {
        var o = new InrOptions { Backbone = BackboneKind.FourierFeatures, FourierEncoding = FourierEncoding.Positional, FourierOctaves = 5, HiddenSize = 16, HiddenLayers = 1 };
        using var gen = new Generator(0);
        using var net = new IterativeInr(o, 3, 1, gen);
        Assert.AreEqual(15, ((FourierFeaturesBackbone)net.BackboneNetwork).FeatureCount);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (o with { FourierOctaves = 0 }).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (o with { FourierOctaves = FourierFeaturesBackbone.MaxOctaves + 1 }).Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (o with { FourierEncoding = (FourierEncoding)7 }).Validate());
    }

    [TestMethod]
    public void PositionalModelRoundTripsThroughACheckpoint()
    {
        var o = TestData.Small(3) with { Backbone = BackboneKind.FourierFeatures, FourierEncoding = FourierEncoding.Positional, FourierOctaves = 4 };
        using var m = InrTrainer.Fit(TestData.ImageSet(8), o);
        using var ms = new MemoryStream();
        m.Save(ms);
        using var loaded = InrModel.Load(new MemoryStream(ms.ToArray()), ComputeDevice.Cpu);
        Assert.AreEqual(o with { Seed = o.EffectiveSeed }, loaded.Options, "the model stores the seed it was trained with");
        var q = TestData.Grid(9, 7);
        CollectionAssert.AreEqual(m.Predict(q), loaded.Predict(q));
    }
}
