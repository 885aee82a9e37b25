using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// A ReLU MLP on random Fourier features γ(x) = [sin 2πBx, cos 2πBx], B ~ N(0, σ²) fixed
/// (Tancik et al. 2020); PyTorch's default initialisation for the MLP.
/// </summary>
public sealed class FourierFeaturesBackbone : Backbone
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;
#pragma warning disable IDE1006 // buffer name is part of the checkpoint format
    readonly Tensor frequencies;
#pragma warning restore IDE1006

    /// <summary>Creates the network: D→2m features, then 2m→H, <paramref name="hiddenLayers"/>×(H→H), H→C.</summary>
    public FourierFeaturesBackbone(int inputDims, int channels, int hiddenLayers, int hidden, int featureCount, double sigma, Generator generator)
        : base(nameof(FourierFeaturesBackbone), inputDims, channels)
    {
        FeatureCount = featureCount;
        // Stored pre-multiplied by 2π: the encoding is then one matmul.
        using (no_grad())
        using (var s = (2 * Math.PI * sigma).ToScalar())
            frequencies = torch.randn([inputDims, featureCount], generator: generator).mul_(s);
        var widths = Widths(2 * featureCount, hidden, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            double b = DenseLayer.DefaultBound(widths[i]);
            layers.Add(new DenseLayer($"l{i}", widths[i], widths[i + 1], b, b, generator));
        }
        _madds = (long)inputDims * featureCount + DenseMultiplyAdds(widths);
        RegisterComponents();
    }

    /// <summary>m, the number of frequencies.</summary>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public override long MultiplyAddsPerCoordinate => _madds;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var p = x.matmul(frequencies);
        Tensor h = torch.cat([p.sin(), p.cos()], 1);
        for (int i = 0; i < layers.Count - 1; i++)
            h = torch.nn.functional.relu(layers[i].forward(h));
        return layers[^1].forward(h).MoveToOuterDisposeScope();
    }
}
