using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace IINR.Tests.Core;

[TestClass]
public sealed class TrainingTests
{
    [TestMethod]
    public void SameSeedGivesIdenticalWeights()
    {
        var data = TestData.ImageSet(16);
        var o = TestData.Small(15) with { Seed = 7, ChunkSize = 100 };
        using var a = InrTrainer.Fit(data, o);
        using var b = InrTrainer.Fit(data, o);
        var pa = a.Network.parameters().ToList();
        var pb = b.Network.parameters().ToList();
        Assert.AreEqual(pa.Count, pb.Count);
        for (int i = 0; i < pa.Count; i++)
            Assert.IsTrue(pa[i].equal(pb[i]).all().item<bool>(), $"parameter {i} differs");
        using var c = InrTrainer.Fit(data, o with { Seed = 8 });
        Assert.IsFalse(c.Network.parameters().First().equal(pa[0]).all().item<bool>(), "another seed should give other weights");
    }

    [TestMethod]
    public void ChunkedGradientEqualsFullBatchGradient()
    {
        // Gradient accumulation over chunks is the full-batch gradient: the fits agree to float rounding.
        var data = TestData.ImageSet(16);
        var o = TestData.Small(5);
        using var whole = InrTrainer.Fit(data, o with { ChunkSize = 1 << 20 });
        using var chunked = InrTrainer.Fit(data, o with { ChunkSize = 37 });
        var a = whole.Predict(data.Coordinates);
        var b = chunked.Predict(data.Coordinates);
        for (int i = 0; i < a.Length; i++) Assert.AreEqual(a[i], b[i], 1e-3, $"value {i}");
    }

    [TestMethod]
    public void ReportsProgressAndHonoursCancellation()
    {
        var data = TestData.ImageSet(8);
        var reports = new List<InrProgress>();
        using (InrTrainer.Fit(data, TestData.Small(10) with { ProgressInterval = 4 }, progress: new SyncProgress(reports.Add))) { }
        CollectionAssert.AreEqual(new[] { 4, 8, 10 }, reports.Select(r => r.Iteration).ToArray());
        Assert.IsTrue(reports.All(r => r.Iterations == 10 && double.IsFinite(r.Loss) && r.Psnr > 0 && r.LearningRate > 0));
        Assert.IsTrue(reports[0].LearningRate > reports[^1].LearningRate, "learning rate decays");
        Assert.AreEqual(1e-4, reports[^1].LearningRate, 1e-12, "decays to 0.1× of SIREN's 1e-3 by the last iteration");

        using var cts = new CancellationTokenSource();
        var cancelling = new SyncProgress(r => { if (r.Iteration == 2) cts.Cancel(); });
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            InrTrainer.Fit(data, TestData.Small(50) with { ProgressInterval = 1 }, progress: cancelling, cancellationToken: cts.Token));
    }

    [TestMethod]
    public void HeadLearningRateAppliesToTheHeadsOnly()
    {
        var data = TestData.ImageSet(8);
        var o = TestData.Small(5) with { HeadLearningRate = 1e-30 };
        using var init = new TorchSharp.torch.Generator(0);
        using var untrained = new IterativeInr(o, 2, 3, init);
        using var m = InrTrainer.Fit(data, o);
        var before = untrained.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in m.Network.named_parameters())
        {
            bool same = p.equal(before[name]).all().item<bool>();
            if (name.StartsWith("feedback") || name.StartsWith("fuse")) Assert.IsTrue(same, $"{name} should not move");
            else Assert.IsFalse(same, $"{name} should train");
        }
    }

    [TestMethod]
    public void RandomBatchesTrain()
    {
        var data = TestData.ImageSet(16);
        using var m = InrTrainer.Fit(data, TestData.Small(60) with { BatchSize = 64 });
        Assert.IsTrue(TestData.Psnr(m.Predict(data.Coordinates), data.Signal) > 12);
    }

    [TestMethod]
    public void AveragePoolForwardModelFitsTheLowResolutionImage()
    {
        // Observe an 8×8 image, render a 16×16 grid, fit through the 2× area average.
        int w = 8, s = 2;
        var lr = TestData.Image(w, w);
        var hrGrid = TestData.Grid(w * s, w * s);
        var op = new AveragePoolOperator(w, w, s);
        using var m = InrTrainer.Fit(new TrainingSet(hrGrid, 2, lr, 3), TestData.Small(150) with { Iterative = false }, op);
        var hr = m.Predict(hrGrid);
        // Average the 16×16 rendering back and compare with the observation.
        var pooled = new float[lr.Length];
        for (int y = 0; y < w * s; y++)
            for (int x = 0; x < w * s; x++)
                for (int c = 0; c < 3; c++)
                    pooled[((y / s) * w + x / s) * 3 + c] += hr[(y * w * s + x) * 3 + c] / (s * s);
        Assert.IsTrue(TestData.Psnr(pooled, lr) > 30, $"pooled PSNR {TestData.Psnr(pooled, lr):F1}");
    }
}

internal sealed class SyncProgress(Action<InrProgress> report) : IProgress<InrProgress>
{
    public void Report(InrProgress value) => report(value);
}

[TestClass]
public sealed class OptionCombinationTests
{
    [TestMethod]
    public void EveryHeadOptionTrainsAndPredicts()
    {
        // One short fit per open choice of the paper, so none breaks autograd or shapes.
        var data = TestData.ImageSet(8);
        var variants = new[]
        {
            TestData.Small(3) with { Gate = GateActivation.TwoSigmoid },
            TestData.Small(3) with { Gate = GateActivation.OnePlusTanh },
            TestData.Small(3) with { Fusion = FusionMode.Additive },
            TestData.Small(3) with { Noise = NoiseMode.Resampled },
            TestData.Small(3) with { NoiseDistribution = NoiseDistribution.Zeros },
            TestData.Small(3) with { NoiseDistribution = NoiseDistribution.Ones, Noise = NoiseMode.Resampled },
            TestData.Small(3) with { TimeSampling = TimeSampling.PerBatch },
            TestData.Small(3) with { TimeEmbedding = TimeEmbedding.Fourier },
            TestData.Small(3) with { UseFeedbackNet = false },
            TestData.Small(3) with { UseFuseNet = false },
            TestData.Small(3) with { UseFeedbackNet = false, UseFuseNet = false },
            TestData.Small(3) with { FeedbackLayers = 3, FuseLayers = 1 },
        };
        foreach (var o in variants)
        {
            using var m = InrTrainer.Fit(data, o);
            var y = m.Predict(data.Coordinates, 3);
            Assert.IsTrue(y.All(float.IsFinite), o.ToString());
        }
    }
}
