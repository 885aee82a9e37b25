using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// FINER (Liu et al. 2024): variable-periodic sines sin(ω0·(|z| + 1)·z), with the factor |z| + 1
/// held out of the gradient as in FINER's code. SIREN's weight initialisation; the first layer's
/// bias is drawn from U(−k, k) (k = 1 in FINER's code), a wider range that lets the first layer pick varied frequencies.
/// </summary>
public sealed class FinerBackbone : Backbone
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;

    /// <summary>Creates a FINER network with D→H, <paramref name="hiddenLayers"/>×(H→H), H→C, the first layer's biases
    /// drawn from U(−<paramref name="firstBiasRange"/>, <paramref name="firstBiasRange"/>).</summary>
    public FinerBackbone(int inputDims, int channels, int hiddenLayers, int hidden, double omega0, Generator generator, double firstBiasRange = InrOptions.DefaultFinerBiasRange)
        : base(nameof(FinerBackbone), inputDims, channels)
    {
        Omega0 = omega0;
        var widths = Widths(inputDims, hidden, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            int fanIn = widths[i];
            bool last = i + 2 == widths.Length;
            double w = i == 0 ? 1.0 / fanIn : Math.Sqrt(6.0 / fanIn) / omega0;
            double b = i == 0 ? firstBiasRange : DenseLayer.DefaultBound(fanIn);
            layers.Add(new DenseLayer($"l{i}", fanIn, widths[i + 1], w, b, generator, last ? 1f : (float)omega0));
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
        using var scope = NewDisposeScope();
        Tensor h = x;
        using var invOmega = (1 / Omega0).ToScalar();
        for (int i = 0; i < layers.Count - 1; i++)
        {
            var y = layers[i].forward(h); // y = ω0·z
            Tensor alpha;
            using (no_grad()) alpha = y.abs().mul_(invOmega).add_(Scalars.One, Scalars.One); // |z| + 1, no gradient
            h = torch.sin(y.mul(alpha));
        }
        return layers[^1].forward(h).MoveToOuterDisposeScope();
    }
}
