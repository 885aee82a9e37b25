using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// WIRE (Saragadam et al. 2023): complex Gabor wavelet activations exp(iω0·z − |s0·z|²). The first
/// layer is real and its activation makes the features complex; later layers are complex linear
/// layers on complex tensors; the output is the real part of a final complex linear layer. The
/// hidden width is ⌊H/√2⌋ because each complex unit carries two reals (as in WIRE's code).
/// Initialisation: PyTorch's default U(−1/√in, 1/√in), real and imaginary parts drawn independently.
/// </summary>
public sealed class WireBackbone : Backbone
{
    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;

    /// <summary>Creates a WIRE network with D→H', <paramref name="hiddenLayers"/>×(H'→H'), H'→C, H' = ⌊H/√2⌋.</summary>
    public WireBackbone(int inputDims, int channels, int hiddenLayers, int hidden, double omega0, double scale, Generator generator)
        : base(nameof(WireBackbone), inputDims, channels)
    {
        Omega0 = omega0;
        Scale = scale;
        ComplexWidth = ComplexWidthOf(hidden);
        var widths = Widths(inputDims, ComplexWidth, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            var dtype = i == 0 ? ScalarType.Float32 : ScalarType.ComplexFloat32;
            double b = DenseLayer.DefaultBound(widths[i]);
            layers.Add(new DenseLayer($"l{i}", widths[i], widths[i + 1], b, b, generator, dtype: dtype));
        }
        // A complex multiply-add is four real ones.
        _madds = (long)widths[0] * widths[1] + 4 * DenseMultiplyAdds(widths[1..]);
        RegisterComponents();
    }

    /// <summary>ω0, the wavelet frequency.</summary>
    public double Omega0 { get; }

    /// <summary>s0, the envelope scale.</summary>
    public double Scale { get; }

    /// <summary>H', the complex hidden width.</summary>
    public int ComplexWidth { get; }

    /// <summary>⌊H/√2⌋ complex units (at least 1): about as many real parameters per layer as a real layer of H.</summary>
    internal static int ComplexWidthOf(int hidden) => Math.Max(1, (int)(hidden / Math.Sqrt(2)));

    /// <inheritdoc/>
    public override long MultiplyAddsPerCoordinate => _madds;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor h = Gabor(layers[0].forward(x), real: true);
        for (int i = 1; i < layers.Count - 1; i++)
            h = Gabor(layers[i].forward(h), real: false);
        return layers[^1].forward(h).real.contiguous().MoveToOuterDisposeScope();
    }

    // exp(iω0·z − |s0·z|²) = exp(−ω0·Im z − s0²|z|²) · e^{iω0·Re z}, built as exp of a complex exponent.
    Tensor Gabor(Tensor z, bool real)
    {
        using var w = Omega0.ToScalar();
        using var negW = (-Omega0).ToScalar();
        using var s2 = (Scale * Scale).ToScalar();
        using var negS2 = (-Scale * Scale).ToScalar();
        if (real)
            return torch.exp(torch.complex(z.pow(Scalars.Two).mul(negS2), z.mul(w)));
        var re = z.real;
        var im = z.imag;
        var mag2 = re.pow(Scalars.Two).add(im.pow(Scalars.Two), Scalars.One);
        return torch.exp(torch.complex(im.mul(negW).sub(mag2.mul(s2)), re.mul(w)));
    }
}
