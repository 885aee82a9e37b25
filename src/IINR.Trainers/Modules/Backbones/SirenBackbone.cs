using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// SIREN (Sitzmann et al. 2020): sin(ω0·(Wx + b)) layers and a linear output. Initialisation as in
/// the paper: first layer W ~ U(−1/in, 1/in), later layers U(−√(6/in)/ω0, √(6/in)/ω0); biases keep
/// PyTorch's default U(−1/√in, 1/√in).
/// </summary>
public sealed class SirenBackbone : Backbone
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;

    /// <summary>Creates a SIREN with D→H, <paramref name="hiddenLayers"/>×(H→H), H→C.</summary>
    public SirenBackbone(int inputDims, int channels, int hiddenLayers, int hidden, double omega0, Generator generator)
        : base(nameof(SirenBackbone), inputDims, channels)
    {
        Omega0 = omega0;
        var widths = Widths(inputDims, hidden, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            int fanIn = widths[i];
            bool last = i + 2 == widths.Length;
            double w = i == 0 ? 1.0 / fanIn : Math.Sqrt(6.0 / fanIn) / omega0;
            // ω0 is folded into the layer's addmm: sin(ω0·(Wx + b)) in one pass.
            layers.Add(new DenseLayer($"l{i}", fanIn, widths[i + 1], w, DenseLayer.DefaultBound(fanIn), generator, last ? 1f : (float)omega0));
        }
        _madds = DenseMultiplyAdds(widths);
        RegisterComponents();
    }

    /// <summary>ω0.</summary>
    public double Omega0 { get; }

    /// <inheritdoc/>
    public override long MultiplyAddsPerCoordinate => _madds;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        Tensor h = x;
        for (int i = 0; i < layers.Count - 1; i++)
        {
            var z = layers[i].forward(h);
            if (!ReferenceEquals(h, x)) h.Dispose();
            // In-place sine is safe without autograd only (backward needs the pre-activation).
            h = z.requires_grad ? z.sin() : z.sin_();
            if (!ReferenceEquals(h, z)) z.Dispose();
        }
        var y = layers[^1].forward(h);
        if (!ReferenceEquals(h, x)) h.Dispose();
        return y;
    }
}
