using IINR.Trainers;
using IINR.Trainers.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

/// <summary>
/// The trainer folds SIREN's ω0 into its layers' stored weights (W' = ω0·W). These tests check that
/// training the folded network is the same optimisation as plain Adam on the unfolded network,
/// including ε, which matters where gradients are small (near convergence).
/// </summary>
[TestClass]
public sealed class AdamTests
{
    const double Omega0 = 30;
    const double LearningRate = 1e-3;
    const int Iterations = 5;

    [TestMethod]
    public void TrainingMatchesTorchAdamOnTheUnfoldedNetwork()
    {
        // A plain SIREN 2→16→16→1 fitted full-batch at a constant learning rate, against torch.optim.Adam
        // on an unfolded copy (W = W'/ω0, forward sin(ω0·(Wx + b))). The target is the untrained
        // network's own output plus a small offset, so the gradients are small and ε counts.
        var options = new InrOptions
        {
            Backbone = BackboneKind.Siren, Iterative = false, HiddenLayers = 1, HiddenSize = 16, Omega0 = Omega0,
            Iterations = Iterations, LearningRate = LearningRate, FinalLearningRateFactor = 1, Device = ComputeDevice.Cpu,
            Threads = 1, Seed = 3,
        };
        var coordinates = TestData.Grid(8, 8);
        var target = SmallResidualTarget(options, coordinates);
        var reference = UnfoldedCopy(options);
        using (var x = torch.tensor(coordinates, [64, 2]))
        using (var y = torch.tensor(target, [64, 1]))
        using (var adam = torch.optim.Adam(reference.SelectMany(l => new[] { l.W, l.B }), LearningRate))
        {
            for (int it = 0; it < Iterations; it++)
            {
                using var scope = NewDisposeScope();
                adam.zero_grad();
                UnfoldedForward(reference, x).sub(y).pow(2).mean().backward();
                adam.step();
            }
        }

        using var model = InrTrainer.Fit(new TrainingSet(coordinates, 2, target, 1), options);
        var folded = Layers(model.Network).ToList();
        Assert.AreEqual(reference.Count, folded.Count);
        double worst = 0;
        for (int i = 0; i < folded.Count; i++)
        {
            worst = Math.Max(worst, MaxDifference(folded[i].weight, folded[i].LearningRateScale, reference[i].W));
            worst = Math.Max(worst, MaxDifference(folded[i].bias, folded[i].LearningRateScale, reference[i].B));
        }
        Assert.IsTrue(worst < 1e-6, $"the folded fit differs from torch.optim.Adam on the unfolded network by {worst:E2}");
        foreach (var l in reference) { l.W.Dispose(); l.B.Dispose(); }
    }

    [TestMethod]
    public void FoldedDenseLayerTrainsLikeTheUnfoldedLayerScaledByOmega0()
    {
        // One layer y = ω0·(Wx + b): stored folded (W' = ω0·W, Adam at lr·ω0 and the matching ε) and
        // unfolded (W, the forward multiplies by ω0, Adam at lr); both trained by the project's Adam.
        using var genFolded = new Generator(5);
        using var genPlain = new Generator(5);
        using var folded = new DenseLayer("folded", 3, 4, 0.5, 0.5, genFolded, (float)Omega0);
        using var plain = new DenseLayer("plain", 3, 4, 0.5, 0.5, genPlain);
        using var x = torch.linspace(-1, 1, 30).reshape(10, 3);
        // Small targets close to the initial output: small gradients, where ε decides the step.
        using var target = PlainForward(plain, x).detach().add(torch.linspace(-1e-4, 1e-4, 40).reshape(10, 4));
        using var optFolded = new AdamOptimizer([AdamOptimizer.FoldedGroup(folded.parameters(), LearningRate, folded.LearningRateScale)]);
        using var optPlain = new AdamOptimizer([AdamOptimizer.FoldedGroup(plain.parameters(), LearningRate, 1)]);
        for (int it = 0; it < 20; it++)
        {
            using var scope = NewDisposeScope();
            folded.forward(x).sub(target).pow(2).mean().backward();
            optFolded.Step();
            PlainForward(plain, x).sub(target).pow(2).mean().backward();
            optPlain.Step();
        }
        double worst = Math.Max(MaxDifference(folded.weight, (float)Omega0, plain.weight), MaxDifference(folded.bias, (float)Omega0, plain.bias));
        Assert.IsTrue(worst < 1e-6, $"the folded layer's weights differ from the unfolded layer's by {worst:E2}");
    }

    static Tensor PlainForward(DenseLayer layer, Tensor x) => layer.forward(x).mul(Omega0);

    static float[] SmallResidualTarget(InrOptions options, float[] coordinates)
    {
        using var init = new Generator((ulong)(uint)options.EffectiveSeed);
        using var net = new IterativeInr(options, 2, 1, init);
        using var _ = no_grad();
        using var x = torch.tensor(coordinates, [coordinates.Length / 2, 2]);
        using var y = net.Backbone(x);
        var values = y.data<float>().ToArray();
        for (int i = 0; i < values.Length; i++) values[i] += 1e-2f * MathF.Sin(7 * i);
        return values;
    }

    static List<(TorchSharp.Modules.Parameter W, TorchSharp.Modules.Parameter B, float Scale)> UnfoldedCopy(InrOptions options)
    {
        using var init = new Generator((ulong)(uint)options.EffectiveSeed);
        using var net = new IterativeInr(options, 2, 1, init);
        using var _ = no_grad();
        return Layers(net).Select(l => (
            nn.Parameter(l.weight.div(l.LearningRateScale)),
            nn.Parameter(l.bias.div(l.LearningRateScale)),
            l.LearningRateScale)).ToList();
    }

    static Tensor UnfoldedForward(List<(TorchSharp.Modules.Parameter W, TorchSharp.Modules.Parameter B, float Scale)> layers, Tensor x)
    {
        var h = x;
        for (int i = 0; i < layers.Count; i++)
        {
            var z = torch.nn.functional.linear(h, layers[i].W, layers[i].B);
            h = i + 1 < layers.Count ? z.mul(layers[i].Scale).sin() : z;
        }
        return h;
    }

    static IEnumerable<DenseLayer> Layers(IterativeInr net) => net.BackboneNetwork.modules().OfType<DenseLayer>();

    static double MaxDifference(Tensor foldedParameter, float scale, Tensor unfolded)
    {
        using var _ = no_grad();
        using var d = foldedParameter.div(scale).sub(unfolded).abs().max();
        return d.item<float>();
    }
}
