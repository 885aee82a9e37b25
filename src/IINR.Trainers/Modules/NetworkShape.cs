using IINR.Signals;
using IINR.Trainers.Backbones;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The tensors an <see cref="IterativeInr"/> holds, computed from its options alone (no allocation), in the order of
/// its checkpoint (parameters as registered, then buffers): what a checkpoint's tensor table must be before a network
/// is built for it, and the size a network will take before training allocates it. Mirrors the modules' constructors;
/// a test compares the two for every backbone and head option.
/// </summary>
internal static class NetworkShape
{
    /// <summary>One tensor: its element type and shape.</summary>
    public readonly record struct TensorShape(ScalarType DType, long[] Shape)
    {
        /// <summary>Bytes of the tensor (saturating at <see cref="long.MaxValue"/>).</summary>
        public long Bytes => SizeLimits.Product([.. Shape, DType == ScalarType.ComplexFloat32 ? 8 : 4]);

        public override string ToString() => $"{DType}[{string.Join(",", Shape)}]";
    }

    /// <summary>The tensors of the network <paramref name="o"/> describes for D = <paramref name="dims"/>, C = <paramref name="channels"/>.</summary>
    public static List<TensorShape> Tensors(InrOptions o, int dims, int channels)
    {
        var parameters = new List<TensorShape>();
        var buffers = new List<TensorShape>();
        void Dense(int inFeatures, int outFeatures, ScalarType type = ScalarType.Float32)
        {
            parameters.Add(new(type, [outFeatures, inFeatures]));
            parameters.Add(new(type, [outFeatures]));
        }
        void Chain(int[] widths, bool complexAfterFirst = false)
        {
            for (int i = 0; i + 1 < widths.Length; i++)
                Dense(widths[i], widths[i + 1], complexAfterFirst && i > 0 ? ScalarType.ComplexFloat32 : ScalarType.Float32);
        }
        void Mlp(int inFeatures, int hidden, int layerCount, int outFeatures)
        {
            for (int i = 0; i < layerCount; i++)
                Dense(i == 0 ? inFeatures : hidden, i == layerCount - 1 ? outFeatures : hidden);
        }

        switch (o.Backbone)
        {
            case BackboneKind.Siren or BackboneKind.Gauss or BackboneKind.Finer:
                Chain(Backbone.Widths(dims, o.HiddenSize, o.HiddenLayers, channels));
                break;
            case BackboneKind.Wire:
                Chain(Backbone.Widths(dims, WireBackbone.ComplexWidthOf(o.HiddenSize), o.HiddenLayers, channels), complexAfterFirst: true);
                break;
            case BackboneKind.FourierFeatures:
                // m frequencies: the Gaussian count, or D·L for the positional encoding (FourierFeaturesBackbone.FeatureCount).
                int m = o.FourierEncoding == FourierEncoding.Positional ? checked(dims * o.FourierOctaves) : o.FourierFeatureCount;
                Chain(Backbone.Widths(checked(2 * m), o.HiddenSize, o.HiddenLayers, channels));
                buffers.Add(new(ScalarType.Float32, [dims, m]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(o), o.Backbone, $"Unknown backbone {o.Backbone}.");
        }
        if (o.Iterative)
        {
            if (o.UseFeedbackNet) Mlp(channels + dims + FeedbackNet.TimeFeatures(o.TimeEmbedding), o.FeedbackHiddenSize, o.FeedbackLayers, channels);
            if (o.UseFuseNet) Mlp(2 * channels, o.FuseHiddenSize, o.FuseLayers, channels);
        }
        parameters.AddRange(buffers);
        return parameters;
    }

    /// <summary>Weights of the backbone alone (a complex weight counts 2, as <see cref="IterativeInr.BackboneParameterCount"/>
    /// counts them; Fourier features' frequency matrix is a buffer, the last tensor, not a weight).</summary>
    public static long BackboneParameterCount(InrOptions o, int dims, int channels)
    {
        var tensors = Tensors(o with { Iterative = false }, dims, channels);
        if (o.Backbone == BackboneKind.FourierFeatures) tensors.RemoveAt(tensors.Count - 1);
        return Bytes(tensors) / sizeof(float); // a real weight is one float, a complex one two
    }

    /// <summary>Bytes of all the network's tensors (saturating at <see cref="long.MaxValue"/>).</summary>
    public static long Bytes(IEnumerable<TensorShape> tensors)
    {
        long sum = 0;
        foreach (var t in tensors) sum = t.Bytes > long.MaxValue - sum ? long.MaxValue : sum + t.Bytes;
        return sum;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentOutOfRangeException"/> naming <see cref="InrOptions.HiddenSize"/> when the network's
    /// weights would take more than 2 GiB (<see cref="SizeLimits.MaxBytes"/>), the most a checkpoint holds: checked before
    /// anything is allocated, so an oversized request fails at once instead of after an allocation of many gigabytes.
    /// </summary>
    public static void EnsureFits(InrOptions o, int dims, int channels)
    {
        long bytes = Bytes(Tensors(o, dims, channels));
        if (bytes > SizeLimits.MaxBytes)
            throw new ArgumentOutOfRangeException(nameof(InrOptions.HiddenSize), o.HiddenSize,
                $"A {o.Backbone} network of {o.HiddenLayers} hidden layers of {o.HiddenSize}{(o.Iterative ? $" with heads of {o.FeedbackHiddenSize} and {o.FuseHiddenSize}" : "")} " +
                $"(D = {dims}, C = {channels}) has {SizeLimits.Gigabytes(bytes)} of weights; at most 2 GiB is supported (the largest checkpoint): " +
                "lower HiddenSize or HiddenLayers.");
    }
}
