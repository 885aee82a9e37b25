using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Backbones;

/// <summary>
/// A ReLU MLP on Fourier features γ(x) = [sin Bx, cos Bx] (Tancik et al. 2020), B fixed: random Gaussian
/// frequencies B = 2π·N(0, σ²) with σ in cycles per coordinate unit, or NeRF's positional encoding
/// (<see cref="Positional"/>); PyTorch's default initialisation for the MLP.
/// </summary>
public sealed class FourierFeaturesBackbone : Backbone
{
    /// <summary>The most octaves <see cref="Positional"/> accepts: beyond π·2¹⁵ a float32 coordinate's rounding
    /// moves the phase by more than a hundredth of a radian.</summary>
    public const int MaxOctaves = 16;

    readonly TorchSharp.Modules.ModuleList<DenseLayer> layers;
    readonly long _madds;
#pragma warning disable IDE1006 // buffer name is part of the checkpoint format
    readonly Tensor frequencies;
#pragma warning restore IDE1006

    /// <summary>Creates the network on m random Gaussian frequencies: D→2m features, then 2m→H, <paramref name="hiddenLayers"/>×(H→H), H→C.</summary>
    public FourierFeaturesBackbone(int inputDims, int channels, int hiddenLayers, int hidden, int featureCount, double sigma, Generator generator)
        : this(inputDims, channels, hiddenLayers, hidden, GaussianFrequencies(inputDims, featureCount, sigma, generator), generator) { }

    FourierFeaturesBackbone(int inputDims, int channels, int hiddenLayers, int hidden, Tensor frequencyMatrix, Generator generator)
        : base(nameof(FourierFeaturesBackbone), inputDims, channels)
    {
        frequencies = frequencyMatrix;
        FeatureCount = (int)frequencyMatrix.shape[1];
        var widths = Widths(2 * FeatureCount, hidden, hiddenLayers, channels);
        layers = new TorchSharp.Modules.ModuleList<DenseLayer>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            double b = DenseLayer.DefaultBound(widths[i]);
            layers.Add(new DenseLayer($"l{i}", widths[i], widths[i + 1], b, b, generator));
        }
        _madds = (long)inputDims * FeatureCount + DenseMultiplyAdds(widths);
        RegisterComponents();
    }

    /// <summary>
    /// The network on NeRF's positional encoding: each axis at π·2ᵏ, k = 0 … <paramref name="octaves"/> − 1
    /// (2·D·L features), then 2DL→H, <paramref name="hiddenLayers"/>×(H→H), H→C.
    /// </summary>
    public static FourierFeaturesBackbone Positional(int inputDims, int channels, int hiddenLayers, int hidden, int octaves, Generator generator)
    {
        if (octaves < 1 || octaves > MaxOctaves)
            throw new ArgumentOutOfRangeException(nameof(octaves), octaves, $"The octaves must lie in 1..{MaxOctaves}.");
        var b = new float[inputDims * inputDims * octaves];
        for (int d = 0; d < inputDims; d++)
            for (int k = 0; k < octaves; k++)
                b[d * inputDims * octaves + d * octaves + k] = (float)(Math.PI * Math.Pow(2, k));
        return new FourierFeaturesBackbone(inputDims, channels, hiddenLayers, hidden, torch.tensor(b, [inputDims, inputDims * octaves]), generator);
    }

    /// <summary>
    /// Octaves L whose last, π·2^(L−1), is the Nyquist frequency of <paramref name="samples"/> evenly spaced
    /// samples across [-1, 1] (π·samples/2): ⌊log₂ samples⌋, for the longest axis of a grid (64 → 6, 512 → 9).
    /// </summary>
    public static int NyquistOctaves(int samples)
    {
        if (samples < 2)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least 2 samples are needed.");
        return Math.Min(MaxOctaves, (int)Math.Floor(Math.Log2(samples)));
    }

    // Stored pre-multiplied by 2π: the encoding is then one matmul.
    static Tensor GaussianFrequencies(int inputDims, int featureCount, double sigma, Generator generator)
    {
        using var _ = no_grad();
        using var s = (2 * Math.PI * sigma).ToScalar();
        return torch.randn([inputDims, featureCount], generator: generator).mul_(s);
    }

    /// <summary>m, the number of frequencies (D·L for the positional encoding).</summary>
    public int FeatureCount { get; }

    /// <inheritdoc/>
    public override long MultiplyAddsPerCoordinate => _madds;

    /// <summary>γ(x) = [sin xB, cos xB]: N×D coordinates to N×2m features.</summary>
    internal Tensor Encode(Tensor x)
    {
        using var p = x.matmul(frequencies);
        using var sin = p.sin();
        using var cos = p.cos();
        return torch.cat([sin, cos], 1);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Encode(x);
        for (int i = 0; i < layers.Count - 1; i++)
            h = torch.nn.functional.relu(layers[i].forward(h));
        return layers[^1].forward(h).MoveToOuterDisposeScope();
    }
}
