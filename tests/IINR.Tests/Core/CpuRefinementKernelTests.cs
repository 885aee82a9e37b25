using IINR.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

/// <summary>The managed CPU heads (the default inference path on the CPU) against the libtorch heads (the reference).</summary>
[TestClass]
public sealed class CpuRefinementKernelTests
{
    const int Rows = 1_003; // two row blocks and a partial SIMD group

    static (float[] X, float[] Z) Inputs(int dims, int channels)
    {
        var rng = new Random(7);
        var x = new float[Rows * dims];
        var z = new float[Rows * channels];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * rng.NextDouble() - 1);
        for (int i = 0; i < z.Length; i++) z[i] = (float)(rng.NextDouble() * 2 - 1);
        return (x, z);
    }

    static float[] Infer(IterativeInr net, float[] x, float[] z, int steps, bool reference, int chunk = 256)
    {
        using var xt = torch.tensor(x, [Rows, net.InputDims]);
        using var zt = torch.tensor(z, [Rows, net.Channels]);
        using var y = torch.empty([Rows, net.Channels]);
        ChunkedInference.Run(net, xt, zt, steps, y, chunk, reference);
        return y.data<float>().ToArray();
    }

    public static IEnumerable<object[]> Variants() =>
    [
        ["defaults", new InrOptions(), 2, 3, 2],
        ["1 step", new InrOptions(), 2, 3, 1],
        ["5 steps", new InrOptions(), 2, 3, 5],
        ["Fourier t", new InrOptions { TimeEmbedding = TimeEmbedding.Fourier }, 2, 3, 3],
        ["2·sigmoid gate", new InrOptions { Gate = GateActivation.TwoSigmoid }, 2, 3, 2],
        ["1 + tanh gate", new InrOptions { Gate = GateActivation.OnePlusTanh }, 2, 3, 2],
        ["additive", new InrOptions { Fusion = FusionMode.Additive }, 2, 3, 2],
        ["no FeedbackNet", new InrOptions { UseFeedbackNet = false }, 2, 3, 2],
        ["no FuseNet", new InrOptions { UseFuseNet = false }, 2, 3, 2],
        ["one-layer heads", new InrOptions { FeedbackLayers = 1, FuseLayers = 1 }, 2, 3, 2],
        ["deep wide heads", new InrOptions { FeedbackLayers = 3, FeedbackHiddenSize = 17, FuseLayers = 3, FuseHiddenSize = 41 }, 2, 3, 3],
        ["3D occupancy", new InrOptions(), 3, 1, 2],
        ["1D, 4 channels", new InrOptions(), 1, 4, 2],
        ["2 channels", new InrOptions(), 2, 2, 2],
        ["5D, 5 channels", new InrOptions(), 5, 5, 2],
    ];

    [TestMethod]
    [DynamicData(nameof(Variants))]
    public void MatchesTheLibTorchHeads(string name, InrOptions options, int dims, int channels, int steps)
    {
        using var gen = new Generator(3);
        using var net = new IterativeInr(options with { HiddenLayers = 2, HiddenSize = 32 }, dims, channels, gen);
        net.eval();
        var (x, z) = Inputs(dims, channels);
        var kernel = Infer(net, x, z, steps, reference: false);
        var reference = Infer(net, x, z, steps, reference: true);
        double maxDiff = 0, mean = reference.Average(), spread = Math.Sqrt(reference.Select(v => (v - mean) * (v - mean)).Average());
        for (int i = 0; i < reference.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(kernel[i] - reference[i]));
        Assert.IsTrue(spread > 1e-4, $"{name}: the reference output is nearly constant (std {spread}); the comparison would prove nothing.");
        Assert.IsTrue(maxDiff <= 1e-4 * reference.Max(Math.Abs) + 1e-6, $"{name}: kernel and libtorch heads differ by up to {maxDiff}.");
    }

    [TestMethod]
    public void ThePortablePathMatchesTooWhereTheKernelUsesVector512()
    {
        bool saved = CpuRefinementKernel.PackedLayer.UseVector512;
        try
        {
            CpuRefinementKernel.PackedLayer.UseVector512 = false;
            foreach (var v in Variants()) MatchesTheLibTorchHeads((string)v[0] + " (portable)", (InrOptions)v[1], (int)v[2], (int)v[3], (int)v[4]);
        }
        finally { CpuRefinementKernel.PackedLayer.UseVector512 = saved; }
    }

    [TestMethod]
    public void ResultDoesNotDependOnThreadsAndRepeats()
    {
        using var gen = new Generator(5);
        using var net = new IterativeInr(new InrOptions { HiddenLayers = 2, HiddenSize = 32 }, 2, 3, gen);
        net.eval();
        var (x, z) = Inputs(2, 3);
        var b = new float[Rows * 3];
        for (int i = 0; i < b.Length; i++) b[i] = MathF.Sin(i);
        var kernel = CpuRefinementKernel.TryCreate(net)!;
        var one = new float[Rows * 3];
        var two = new float[Rows * 3];
        kernel.Run(b, x, z, Rows, 2, one, threads: 1);
        kernel.Run(b, x, z, Rows, 2, two, threads: 2);
        CollectionAssert.AreEqual(one, two);

        // Through ChunkedInference, twice: the same bits.
        CollectionAssert.AreEqual(Infer(net, x, z, 2, false, chunk: 100), Infer(net, x, z, 2, false, chunk: 100));
    }

    [TestMethod]
    public void OnlyFloat32HeadsOnTheCpuHaveAKernel()
    {
        using var gen = new Generator(1);
        using var plain = new IterativeInr(new InrOptions { Iterative = false, HiddenLayers = 1, HiddenSize = 8 }, 2, 3, gen);
        Assert.IsNull(CpuRefinementKernel.TryCreate(plain), "a plain network has no heads");
        using var wire = new IterativeInr(new InrOptions { HiddenLayers = 1, HiddenSize = 8, Backbone = Trainers.Backbones.BackboneKind.Wire }, 2, 3, gen);
        Assert.IsNotNull(CpuRefinementKernel.TryCreate(wire), "WIRE's complex weights live in the backbone; its heads are real and run in the kernel.");

        // Heads the kernel cannot read as CPU float32 go to libtorch: other element types here, other devices where there are any.
        using var siren = new IterativeInr(new InrOptions { HiddenLayers = 1, HiddenSize = 8 }, 2, 3, gen);
        Assert.IsNotNull(CpuRefinementKernel.TryCreate(siren));
        siren.to(ScalarType.Float64);
        Assert.IsNull(CpuRefinementKernel.TryCreate(siren), "float64 heads");
        if (cuda.is_available())
        {
            siren.to(ScalarType.Float32).to(CUDA);
            Assert.IsNull(CpuRefinementKernel.TryCreate(siren), "heads on a GPU");
        }
    }
}
