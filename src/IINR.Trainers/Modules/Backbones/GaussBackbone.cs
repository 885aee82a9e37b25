using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// Gaussian-activated MLP (Ramasinghe and Lucey 2022): exp(−(s·(Wx + b))²) layers and a linear
/// output; PyTorch's default initialisation, as in the WIRE benchmark code.
/// </summary>
public sealed class GaussBackbone : Backbone
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;

    /// <summary>Creates a Gauss network with D→H, <paramref name="hiddenLayers"/>×(H→H), H→C.</summary>
    public GaussBackbone(int inputDims, int channels, int hiddenLayers, int hidden, double scale, Generator generator)
        : base(nameof(GaussBackbone), inputDims, channels)
    {
        Scale = scale;
        var widths = Widths(inputDims, hidden, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            double b = DenseLayer.DefaultBound(widths[i]);
            bool last = i + 2 == widths.Length;
            // s is folded into the addmm: the activation is then exp(−y²) of y = s·(Wx + b).
            layers.Add(new DenseLayer($"l{i}", widths[i], widths[i + 1], b, b, generator, last ? 1f : (float)scale));
        }
        _madds = DenseMultiplyAdds(widths);
        RegisterComponents();
    }

    /// <summary>s, the activation's scale.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public override long MultiplyAddsPerCoordinate => _madds;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = x;
        for (int i = 0; i < layers.Count - 1; i++)
            h = torch.exp(layers[i].forward(h).pow(Scalars.Two).neg());
        return layers[^1].forward(h).MoveToOuterDisposeScope();
    }
}
