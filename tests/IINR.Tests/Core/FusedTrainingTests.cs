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
        foreach (var kind in new[] { BackboneKind.Siren, BackboneKind.Finer, BackboneKind.Gauss, BackboneKind.FourierFeatures, BackboneKind.Wire })
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
        // WIRE's complex layers: the real first layer straight into the complex output layer; a narrow envelope (ω0 = s0 = 4, the
        // super-resolution preset) and a wide one; chunks whose complex rows are not a multiple of the vector width.
        yield return ("WIRE, no hidden layers after the first", Tiny(BackboneKind.Wire) with { HiddenLayers = 0 });
        yield return ("WIRE ω0 = s0 = 4, small chunks", Tiny(BackboneKind.Wire) with { Omega0 = 4, Scale = 4, ChunkSize = 37 });
        yield return ("WIRE ω0 = 10, s0 = 40, random batches", Tiny(BackboneKind.Wire, iterative: false) with { Omega0 = 10, Scale = 40, BatchSize = 50 });
    }

    [TestMethod]
    [DynamicData(nameof(Configurations))]
    public void GradientsEqualAutograds(string name)
    {
        var options = Variants().Single(v => v.Name == name).Options;
        TorchRuntime.Threads = 2;
        var reference = AutogradGradients(options);
        AssertSameGradients(name, reference, FusedGradients(options));
    }

    // Super-resolution's forward model: the 12×12 rendered grid averaged to 6×6 (2×) or 4×4 (3×) observations.
    static IEnumerable<(string Name, InrOptions Options, AveragePoolOperator Op)> MeasuredVariants()
    {
        var d = Tiny(BackboneKind.Siren);
        var twice = new AveragePoolOperator(6, 6, 2);
        yield return ("SIREN plain, 2×", Tiny(BackboneKind.Siren, iterative: false), twice);
        yield return ("SIREN iterative, 2×", d, twice);
        yield return ("Gauss iterative, 2×, resampled Z", Tiny(BackboneKind.Gauss) with { Noise = NoiseMode.Resampled }, twice);
        yield return ("Fourier features plain, 2×", Tiny(BackboneKind.FourierFeatures, iterative: false), twice);
        yield return ("WIRE iterative, 2×", Tiny(BackboneKind.Wire) with { Omega0 = 4, Scale = 4 }, twice);
        yield return ("iterative, 3×, bicubic lift", d, new AveragePoolOperator(4, 4, 3, LiftMode.Bicubic));
        yield return ("additive fusion, t per batch, 3×", d with { Fusion = FusionMode.Additive, TimeSampling = TimeSampling.PerBatch }, new AveragePoolOperator(4, 4, 3));
        // A chunk smaller than one observed row: each chunk takes one whole row (24 rendered rows) anyway.
        yield return ("small chunks, 2×", d with { ChunkSize = 10 }, twice);
    }

    static IEnumerable<object[]> MeasuredConfigurations() => MeasuredVariants().Select(v => new object[] { v.Name });

    static TrainingSet Observed(AveragePoolOperator op) => new(TestData.Grid(12, 12), 2, TestData.Image(op.Width, op.Height), 3);

    [TestMethod]
    [DynamicData(nameof(MeasuredConfigurations))]
    public void GradientsThroughTheForwardModelEqualAutograds(string name)
    {
        var (_, options, op) = MeasuredVariants().Single(v => v.Name == name);
        TorchRuntime.Threads = 2;
        var reference = AutogradGradients(options, Observed(op), op);
        AssertSameGradients(name, reference, FusedGradients(options, Observed(op), op));
    }

    // Every parameter's gradient within 2·10⁻³ of the largest of its tensor.
    static void AssertSameGradients(string name, Dictionary<string, float[]> reference, Dictionary<string, float[]> fused)
    {
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
    public void ChunksThroughTheForwardModelHoldWholeObservedRows()
    {
        // 64×64 observed at 2×: 256 rendered rows per observed row; the plain slots give 1,024-row chunks, which hold 4.
        Assert.AreEqual((1024, 16, 4), FusedTrainingSession.Slots(128 * 128, 1024, 2, 256));
        // A unit larger than the chunk the plain rule gives: one unit per chunk.
        Assert.AreEqual((1536, 4, 4), FusedTrainingSession.Slots(4 * 1536, 1024, 1, 1536));
        // Rounded down to whole units: 36 → 24.
        Assert.AreEqual((24, 6, 4), FusedTrainingSession.Slots(144, 37, 2, 24));
    }

    [TestMethod]
    public void SuperResolutionStepsMatchAutogradsUpdates()
    {
        var o = Tiny(BackboneKind.Siren) with { Iterations = 3, Threads = 1, Noise = NoiseMode.Resampled };
        var op = new AveragePoolOperator(6, 6, 2);
        var progress = new List<InrProgress>();
        using var reference = InrTrainer.FitWithEngine(Observed(op), o, op, null, default, TrainingEngine.Autograd);
        using var fused = InrTrainer.FitWithEngine(Observed(op), o with { ProgressInterval = 1 }, op, new SyncProgress(progress.Add), default, TrainingEngine.Auto);
        AssertSameWeights(reference, fused);
        // Progress reports the fit through the forward model: its loss is the mean squared error against the 6×6 observations.
        Assert.AreEqual(3, progress.Count);
        Assert.IsTrue(progress.All(r => double.IsFinite(r.Psnr) && r.Loss > 0), string.Join(", ", progress.Select(r => $"{r.Loss} {r.Psnr}")));
    }

    [TestMethod]
    [DataRow(BackboneKind.Siren)]
    [DataRow(BackboneKind.Wire)]
    public void StepsMatchAutogradsUpdates(BackboneKind kind)
    {
        // Three full iterations (Adam with per-group rates and ε/scale for the folded layers, a separate head rate, the decay;
        // WIRE's complex weights as pairs of reals).
        var o = Tiny(kind) with { Iterations = 3, HeadLearningRate = 3e-3, Threads = 1 };
        using var reference = InrTrainer.FitWithEngine(Data, o, null, null, default, TrainingEngine.Autograd);
        using var fused = InrTrainer.FitWithEngine(Data, o, null, null, default, TrainingEngine.Auto);
        AssertSameWeights(reference, fused);
    }

    // Every weight within 10⁻⁴ + 10⁻³ relative.
    static void AssertSameWeights(InrModel reference, InrModel fused)
    {
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
        Assert.IsInstanceOfType<FusedTrainingSession>(Session(Tiny(BackboneKind.Wire), null, CPU, TrainingEngine.Auto));
        // The autograd path: asked for, a measurement operator other than the area average, and any device but the CPU.
        Assert.IsInstanceOfType<TrainingSession>(Session(Tiny(BackboneKind.Siren), null, CPU, TrainingEngine.Autograd));
        Assert.IsInstanceOfType<FusedTrainingSession>(Session(Tiny(BackboneKind.Siren, iterative: false), new AveragePoolOperator(6, 6, 2), CPU, TrainingEngine.Auto));
        // … or an area average whose observed rows render too many rows.
        Assert.IsInstanceOfType<TrainingSession>(Session(Tiny(BackboneKind.Siren), new OtherOperator(new AveragePoolOperator(6, 6, 2)), CPU, TrainingEngine.Auto));
        using (var wide = InrTrainer.CreateNetwork(Tiny(BackboneKind.Siren), 2, 3, CPU))
        {
            var op = new AveragePoolOperator(4097, 1, 2);
            var coordinates = new float[op.InputCount * 2];
            Assert.IsNull(FusedTrainingSession.TryCreate([wide], [new TrainingSet(coordinates, 2, new float[op.OutputCount * 3], 3)], wide.Options, op, CPU, out var tooWide));
            StringAssert.Contains(tooWide, "16388 rows");
        }
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

    // Any operator but AveragePoolOperator itself, computing the same.
    internal sealed class OtherOperator(AveragePoolOperator inner) : IMeasurementOperator
    {
        public int InputCount => inner.InputCount;
        public int OutputCount => inner.OutputCount;
        public IReadOnlyList<MeasurementBlock> Blocks(int maxInputRows) => inner.Blocks(maxInputRows);
        public Tensor Apply(Tensor rendered, MeasurementBlock block) => inner.Apply(rendered, block);
        public Tensor Lift(Tensor observed) => inner.Lift(observed);
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

    static Dictionary<string, float[]> AutogradGradients(InrOptions o, TrainingSet? data = null, IMeasurementOperator? op = null)
    {
        using var net = InrTrainer.CreateNetwork(o, 2, 3, CPU);
        using var session = new TrainingSession(net, data ?? Data, o, op, CPU);
        session.ComputeGradients();
        return net.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter.grad!));
    }

    static Dictionary<string, float[]> FusedGradients(InrOptions o, TrainingSet? data = null, IMeasurementOperator? op = null)
    {
        using var net = InrTrainer.CreateNetwork(o, 2, 3, CPU);
        using var session = FusedTrainingSession.TryCreate([net], [data ?? Data], o, op, CPU, out var reason)
            ?? throw new AssertFailedException($"no fused session: {reason}");
        session.ComputeGradients();
        var flat = session.Gradient(0);
        var names = net.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);
        var result = new Dictionary<string, float[]>();
        foreach (var l in session.Layout.Layers)
        {
            result[names[l.Module.weight.Handle]] = flat.AsSpan(l.Weight, l.WeightLength).ToArray();
            result[names[l.Module.bias.Handle]] = flat.AsSpan(l.Bias, l.BiasLength).ToArray();
        }
        return result;
    }

    // The values of a real tensor, or the (real, imaginary) pairs of a complex one.
    static float[] Values(Tensor t)
    {
        using var d = t.detach();
        using var r = d.is_complex() ? view_as_real(d) : d.alias();
        using var c = r.contiguous();
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

    // Distinct 5×5 observations of the 10×10 grid, for fits through the 2× area average.
    static TrainingSet ObservedSignal(int k)
    {
        var observed = TestData.Image(5, 5);
        for (int i = 0; i < observed.Length; i++) observed[i] = (observed[i] + 0.11f * k * (i % 3)) % 1f;
        return new TrainingSet(TestData.Grid(10, 10), 2, observed, 3);
    }

    // Each batched model renders exactly what one fit of its signal renders; disposes the batched models.
    static void AssertEqualsOneFitEach(IReadOnlyList<TrainingSet> data, IReadOnlyList<InrModel> many, Func<TrainingSet, InrModel> fitOne)
    {
        try
        {
            for (int k = 0; k < data.Count; k++)
            {
                using var one = fitOne(data[k]);
                CollectionAssert.AreEqual(one.Predict(data[k].Coordinates), many[k].Predict(data[k].Coordinates), $"signal {k}");
            }
        }
        finally
        {
            foreach (var m in many) m.Dispose();
        }
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
    public void WiresComplexWeightsEqualOneFitPerSignalBitForBit()
    {
        var o = Options with { Backbone = Trainers.Backbones.BackboneKind.Wire };
        var data = new[] { Signal(0), Signal(1), Signal(2) };
        var many = InrTrainer.FitMany(data, o);
        AssertEqualsOneFitEach(data, many, d => InrTrainer.Fit(d, o));
    }

    [TestMethod]
    public void ThroughAForwardModelEqualsOneFitPerSignalBitForBit()
    {
        // Super-resolution of three 5×5 images: each renders the 10×10 grid, averaged 2×2 back to its observations.
        var op = new AveragePoolOperator(5, 5, 2);
        var data = Enumerable.Range(0, 3).Select(ObservedSignal).ToList();
        var o = Options with { Noise = NoiseMode.Resampled };
        var reports = new List<InrProgress>();
        var many = InrTrainer.FitMany(data, o, op, new SyncProgress(reports.Add));
        AssertEqualsOneFitEach(data, many, d => InrTrainer.Fit(d, o, op));
        Assert.HasCount(6, reports, "a report per signal at iterations 3 and 6");
        Assert.IsTrue(reports.All(r => double.IsFinite(r.Psnr) && r.Psnr > 0));
        // The operator must fit every signal.
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany([Signal(0)], o, op)).Message,
            "Signal 0 has 100 coordinates and 100 signal rows, but the measurement operator renders 100 rows and observes 25");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => InrTrainer.FitMany(data, o with { BatchSize = 50 }, op)).Message, "BatchSize = 50");
        Assert.ThrowsExactly<ArgumentNullException>(() => InrTrainer.FitMany(data, o, (IMeasurementOperator)null!));
    }

    [TestMethod]
    public void ConfigurationsWithoutFusedKernelsFitOneAfterTheOther()
    {
        // A forward model other than the area average trains through autograd: FitMany falls back to one Fit per signal,
        // with the same results.
        var op = new FusedTrainingTests.OtherOperator(new AveragePoolOperator(5, 5, 2));
        var o = Options with { Iterations = 3 };
        var data = new[] { 0, 1 }.Select(ObservedSignal).ToArray();
        var reports = new List<InrProgress>();
        var many = InrTrainer.FitMany(data, o, op, new SyncProgress(reports.Add));
        AssertEqualsOneFitEach(data, many, d => InrTrainer.Fit(d, o, op));
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
