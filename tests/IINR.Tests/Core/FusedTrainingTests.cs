using IINR.Trainers;
using IINR.Trainers.Backbones;
using IINR.Trainers.Fused;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

/// <summary>The fused CPU step against the autograd reference: same gradients, same updates; and the
/// choice between the two paths.</summary>
[TestClass]
public sealed class FusedTrainingTests
{
    // 12×12 RGB: three chunks of 64 rows in three slots; width 20 and 10 frequencies exercise the SIMD tails.
    static readonly TrainingSet Data = new(TestData.Grid(12, 12), 2, TestData.Image(12, 12), 3);

    static InrOptions Tiny(BackboneKind kind, bool iterative = true) => new()
    {
        Backbone = kind,
        Iterative = iterative,
        Device = ComputeDevice.Cpu,
        Threads = 2,
        HiddenLayers = 2,
        HiddenSize = 20,
        FourierFeatureCount = 10,
        Iterations = 5,
        Seed = 3,
    };

    static IEnumerable<object[]> Configurations() => Variants().Select(v => new object[] { v.Name });

    static IEnumerable<(string Name, InrOptions Options)> Variants()
    {
        foreach (var kind in new[] { BackboneKind.Siren, BackboneKind.Finer, BackboneKind.Gauss, BackboneKind.FourierFeatures })
        {
            yield return ($"{kind} plain", Tiny(kind, iterative: false));
            yield return ($"{kind} iterative", Tiny(kind));
        }
        var d = Tiny(BackboneKind.Siren);
        yield return ("gate 2·sigmoid", d with { Gate = GateActivation.TwoSigmoid });
        yield return ("gate 1 + tanh", d with { Gate = GateActivation.OnePlusTanh });
        yield return ("additive fusion", d with { Fusion = FusionMode.Additive });
        yield return ("resampled Gaussian Z", d with { Noise = NoiseMode.Resampled });
        yield return ("Z = 0", d with { NoiseDistribution = NoiseDistribution.Zeros });
        yield return ("resampled Z = 1", d with { NoiseDistribution = NoiseDistribution.Ones, Noise = NoiseMode.Resampled });
        yield return ("t per batch", d with { TimeSampling = TimeSampling.PerBatch });
        yield return ("Fourier t embedding", d with { TimeEmbedding = TimeEmbedding.Fourier });
        yield return ("no FeedbackNet", d with { UseFeedbackNet = false });
        yield return ("no FuseNet", d with { UseFuseNet = false });
        yield return ("neither head", d with { UseFeedbackNet = false, UseFuseNet = false });
        yield return ("deeper and shallower heads", d with { FeedbackLayers = 3, FuseLayers = 1, FeedbackHiddenSize = 7, FuseHiddenSize = 13 });
        yield return ("no state noise", d with { StateNoise = 0 });
        yield return ("random batches", d with { BatchSize = 50 });
        yield return ("small chunks", d with { ChunkSize = 37 });
        yield return ("no hidden layers after the first", d with { HiddenLayers = 0 });
        yield return ("FINER, Fourier t, additive", Tiny(BackboneKind.Finer) with { TimeEmbedding = TimeEmbedding.Fourier, Fusion = FusionMode.Additive });
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void GradientsEqualAutograds(string name)
    {
        var options = Variants().Single(v => v.Name == name).Options;
        TorchRuntime.Threads = 2;
        var reference = AutogradGradients(options);
        var fused = FusedGradients(options);
        CollectionAssert.AreEquivalent(reference.Keys.ToArray(), fused.Keys.ToArray(), name);
        foreach (var (parameter, expected) in reference)
        {
            var actual = fused[parameter];
            float scale = expected.Max(MathF.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], actual[i], 2e-3f * scale + 1e-7f, $"{name}: {parameter}[{i}] (largest |gradient| {scale})");
        }
    }

    [TestMethod]
    public void StepsMatchAutogradsUpdates()
    {
        // Three full iterations (Adam with per-group rates and ε/scale for the folded layers, a separate head rate, the decay).
        var o = Tiny(BackboneKind.Siren) with { Iterations = 3, HeadLearningRate = 3e-3, Threads = 1 };
        using var reference = InrTrainer.FitWithEngine(Data, o, null, null, default, TrainingEngine.Autograd);
        using var fused = InrTrainer.FitWithEngine(Data, o, null, null, default, TrainingEngine.Auto);
        var a = reference.Network.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        foreach (var (name, p) in fused.Network.named_parameters())
        {
            var expected = a[name];
            var actual = Values(p);
            for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-4f + 1e-3f * MathF.Abs(expected[i]), $"{name}[{i}]");
        }
    }

    [TestMethod]
    public void SameBitsOnOneOrTwoThreads()
    {
        var o = Tiny(BackboneKind.Siren) with { Iterations = 4 };
        using var one = InrTrainer.Fit(Data, o with { Threads = 1 });
        using var two = InrTrainer.Fit(Data, o with { Threads = 2 });
        CollectionAssert.AreEqual(Values(one.Network.parameters().First()), Values(two.Network.parameters().First()));
        CollectionAssert.AreEqual(one.Predict(Data.Coordinates), two.Predict(Data.Coordinates));
    }

    [TestMethod]
    public void TheFusedStepRunsOnTheCpuWhereItCoversTheConfiguration()
    {
        Assert.IsTrue(MklBlas.IsAvailable || !OperatingSystem.IsLinux(), "libtorch's Linux x64 bundle exports MKL");
        if (!MklBlas.IsAvailable) return;
        Assert.IsInstanceOfType<FusedTrainingSession>(Session(Tiny(BackboneKind.Siren), null, CPU, TrainingEngine.Auto));
        Assert.IsInstanceOfType<FusedTrainingSession>(Session(Tiny(BackboneKind.FourierFeatures, iterative: false), null, CPU, TrainingEngine.Auto));
        // The autograd path: asked for, WIRE's complex weights, a measurement operator, and any device but the CPU.
        Assert.IsInstanceOfType<TrainingSession>(Session(Tiny(BackboneKind.Siren), null, CPU, TrainingEngine.Autograd));
        Assert.IsInstanceOfType<TrainingSession>(Session(Tiny(BackboneKind.Wire), null, CPU, TrainingEngine.Auto));
        Assert.IsInstanceOfType<TrainingSession>(Session(Tiny(BackboneKind.Siren, iterative: false), new AveragePoolOperator(6, 6, 2), CPU, TrainingEngine.Auto));
        using var net = InrTrainer.CreateNetwork(Tiny(BackboneKind.Siren), 2, 3, CPU);
        Assert.IsNull(FusedTrainingSession.TryCreate([net], [Data], net.Options, null, new Device(TorchSharp.DeviceType.CUDA), out var reason));
        StringAssert.Contains(reason, "not the CPU");
    }

    [TestMethod]
    public void InferenceMatchesLibTorchForEveryBackbone()
    {
        // 2,500 rows: two full chunks of 1,024 and a partial one, on two workers.
        var rng = new Random(4);
        var x = Enumerable.Range(0, 2500 * 2).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        foreach (var kind in Enum.GetValues<BackboneKind>())
            foreach (bool iterative in new[] { false, true })
            {
                using var model = new InrModel(InrTrainer.CreateNetwork(Tiny(kind, iterative), 2, 3, CPU), CPU);
                var fused = new float[2500 * 3];
                var reference = new float[2500 * 3];
                model.Predict(x, fused);
                model.Predict(x, reference, null, reference: true);
                float scale = reference.Max(MathF.Abs);
                for (int i = 0; i < fused.Length; i++)
                    Assert.AreEqual(reference[i], fused[i], 1e-4f * scale + 1e-6f, $"{kind} {(iterative ? "iterative" : "plain")}: value {i}");
            }
    }

    [TestMethod]
    public void WorkersLeaveTheCallersMklThreadSettingAsTheyFoundIt()
    {
        if (!MklBlas.IsAvailable) Assert.Inconclusive("no MKL exports on this platform");
        int before = MklBlas.SetThreadsForCurrentThread(3);
        try
        {
            Assert.AreEqual(3, MklBlas.SetThreadsForCurrentThread(3), "the call returns the previous thread-local setting");
            using (InrTrainer.Fit(Data, Tiny(BackboneKind.Siren) with { Iterations = 1 })) { } // the caller works as worker 0
            Assert.AreEqual(3, MklBlas.SetThreadsForCurrentThread(3));
        }
        finally
        {
            MklBlas.SetThreadsForCurrentThread(before);
        }
    }

    static ITrainingSession Session(InrOptions o, IMeasurementOperator? op, Device device, TrainingEngine engine)
    {
        var data = op is null ? Data : new TrainingSet(TestData.Grid(12, 12), 2, TestData.Image(6, 6), 3);
        var net = InrTrainer.CreateNetwork(o, 2, 3, CPU);
        var session = InrTrainer.CreateSession([net], [data], o, op, device, engine);
        session.Dispose();
        net.Dispose();
        return session;
    }

    static Dictionary<string, float[]> AutogradGradients(InrOptions o)
    {
        using var net = InrTrainer.CreateNetwork(o, 2, 3, CPU);
        using var session = new TrainingSession(net, Data, o, null, CPU);
        session.ComputeGradients();
        return net.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter.grad!));
    }

    static Dictionary<string, float[]> FusedGradients(InrOptions o)
    {
        using var net = InrTrainer.CreateNetwork(o, 2, 3, CPU);
        using var session = FusedTrainingSession.TryCreate([net], [Data], o, null, CPU, out var reason)
            ?? throw new AssertFailedException($"no fused session: {reason}");
        session.ComputeGradients();
        var flat = session.Gradient(0);
        var names = net.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        var result = new Dictionary<string, float[]>();
        foreach (var l in session.Layout.Layers)
        {
            result[names[l.Module.weight.Handle]] = flat.AsSpan(l.Weight, l.In * l.Out).ToArray();
            result[names[l.Module.bias.Handle]] = flat.AsSpan(l.Bias, l.Out).ToArray();
        }
        return result;
    }

    static float[] Values(Tensor t)
    {
        using var c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }
}

/// <summary>InrTrainer.FitMany: one batched run, the same models as one Fit per signal.</summary>
[TestClass]
public sealed class FitManyTests
{
    static TrainingSet Signal(int k)
    {
        var image = TestData.Image(10, 10);
        for (int i = 0; i < image.Length; i++) image[i] = (image[i] + 0.07f * k * (i % 5)) % 1f;
        return new TrainingSet(TestData.Grid(10, 10), 2, image, 3);
    }

    static InrOptions Options => TestData.Small(6) with { HiddenSize = 16, Seed = 11, ProgressInterval = 3 };

    [TestMethod]
    public void EqualsOneFitPerSignalBitForBit()
    {
        // Ten signals: two waves of slot buffers (WaveSignals = 8).
        var data = Enumerable.Range(0, 10).Select(Signal).ToList();
        var reports = new List<InrProgress>();
        var many = InrTrainer.FitMany(data, Options, new SyncProgress(reports.Add));
        try
        {
            Assert.HasCount(10, many);
            for (int k = 0; k < data.Count; k++)
            {
                using var one = InrTrainer.Fit(data[k], Options);
                CollectionAssert.AreEqual(one.Predict(data[k].Coordinates), many[k].Predict(data[k].Coordinates), $"signal {k}");
            }
            Assert.AreNotEqual(many[0].Predict(data[0].Coordinates)[0], many[1].Predict(data[0].Coordinates)[0], "different signals give different models");
        }
        finally
        {
            foreach (var m in many) m.Dispose();
        }
        // A report per signal at iterations 3 and 6, in signal order.
        CollectionAssert.AreEqual(new[] { 3, 6 }, reports.Select(r => r.Iteration).Distinct().ToArray());
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Concat(Enumerable.Range(0, 10)).ToArray(), reports.Select(r => r.Signal).ToArray());
        Assert.IsTrue(reports.All(r => double.IsFinite(r.Loss) && r.Psnr > 0));
    }

    [TestMethod]
    public void ConfigurationsWithoutFusedKernelsFitOneAfterTheOther()
    {
        // WIRE trains through autograd: FitMany falls back to one Fit per signal, with the same results.
        var o = Options with { Backbone = Trainers.Backbones.BackboneKind.Wire, Iterations = 3 };
        var data = new[] { Signal(0), Signal(1) };
        var reports = new List<InrProgress>();
        var many = InrTrainer.FitMany(data, o, new SyncProgress(reports.Add));
        try
        {
            for (int k = 0; k < data.Length; k++)
            {
                using var one = InrTrainer.Fit(data[k], o);
                CollectionAssert.AreEqual(one.Predict(data[k].Coordinates), many[k].Predict(data[k].Coordinates), $"signal {k}");
            }
        }
        finally
        {
            foreach (var m in many) m.Dispose();
        }
        CollectionAssert.AreEqual(new[] { 0, 1 }, reports.Select(r => r.Signal).ToArray(), "the report at iteration 3 of each signal, tagged with its index");
    }

    [TestMethod]
    public void BadBatchesAreRejectedWithTheSignalNamed()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => InrTrainer.FitMany(null!, Options));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany([], Options)).Message, "no signals");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany([Signal(0), null!], Options)).Message, "Signal 1 is null");
        var other = new TrainingSet(TestData.Grid(8, 8), 2, TestData.Image(8, 8), 3);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany([Signal(0), other], Options)).Message, "Signal 1 has 64 coordinates");
        var mismatched = new TrainingSet(TestData.Grid(10, 10), 2, TestData.Image(5, 5), 3);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany([mismatched], Options)).Message, "Signal 0 has 25 rows but 100 coordinates");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => InrTrainer.FitMany([Signal(0)], Options with { Iterations = 0 }));
    }
}
