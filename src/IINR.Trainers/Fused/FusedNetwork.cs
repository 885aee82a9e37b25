using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IINR.Trainers.Backbones;
using static TorchSharp.torch;

namespace IINR.Trainers.Fused;

/// <summary>
/// An <see cref="IterativeInr"/> described for the fused CPU kernels: every trainable parameter at a
/// fixed offset of one flat float buffer (weights row-major Out×In, then the bias, layer by layer:
/// backbone, FeedbackNet, FuseNet), the backbone's activation, and the heads' choices. Copies the
/// weights between the module and flat buffers.
/// </summary>
internal sealed unsafe class FusedNetwork
{
    /// <summary>The backbone's activation after every layer but the last; <see cref="Activation.Gabor"/> is WIRE's complex Gabor wavelet.</summary>
    public enum Activation { Sine, Finer, Gauss, Relu, Gabor }

    /// <summary>One dense layer: sizes, offsets in the flat buffer, its Adam group. A complex layer stores each weight and
    /// bias as a (real, imaginary) pair of floats, the layout of a complex64 tensor, which Adam updates as two reals.</summary>
    public sealed record Layer(int In, int Out, int Weight, DenseLayer Module, bool Head, bool Complex = false)
    {
        /// <summary>Floats per value: 2 for a complex layer.</summary>
        public int Floats => Complex ? 2 : 1;
        public int WeightLength => In * Out * Floats;
        /// <summary>The bias follows the weights.</summary>
        public int Bias => Weight + WeightLength;
        public int BiasLength => Out * Floats;
        public int End => Bias + BiasLength;
    }

    FusedNetwork(IterativeInr net, Activation activation, float[]? frequencies, int featureCount, List<Layer> layers, int backboneCount, int feedbackCount)
    {
        Network = net;
        Act = activation;
        Frequencies = frequencies;
        FeatureCount = featureCount;
        Backbone = layers.Take(backboneCount).ToArray();
        var fb = layers.Skip(backboneCount).Take(feedbackCount).ToArray();
        var fu = layers.Skip(backboneCount + feedbackCount).ToArray();
        Feedback = fb.Length > 0 ? fb : null;
        Fuse = fu.Length > 0 ? fu : null;
        Layers = layers.ToArray();
        ParameterCount = layers.Count == 0 ? 0 : layers[^1].End;
        Dims = net.InputDims;
        Channels = net.Channels;
        var o = net.Options;
        Iterative = o.Iterative;
        InverseOmega = (float)(1 / o.EffectiveOmega0);
        Embedding = o.TimeEmbedding;
        TimeFeatures = FeedbackNet.TimeFeatures(o.TimeEmbedding);
        Gate = o.Gate;
        Fusion = o.Fusion;
        MaxWidth = Math.Max(Math.Max(Dims, Channels), 2 * featureCount);
        foreach (var l in layers) MaxWidth = Math.Max(MaxWidth, Math.Max(l.In, l.Out));
        if (net.BackboneNetwork is WireBackbone wire)
        {
            // Complex activations and gradients take two floats per unit.
            MaxWidth *= 2;
            GaborOmega = (float)wire.Omega0;
            GaborScaleSquared = (float)(wire.Scale * wire.Scale);
        }
    }

    public IterativeInr Network { get; }
    public Activation Act { get; }
    /// <summary>Fourier features: B (D×m, row-major, times 2π); null otherwise.</summary>
    public float[]? Frequencies { get; }
    public int FeatureCount { get; }
    /// <summary>The backbone's dense layers; the last one is linear.</summary>
    public Layer[] Backbone { get; }
    public Layer[]? Feedback { get; }
    public Layer[]? Fuse { get; }
    public Layer[] Layers { get; }
    public int ParameterCount { get; }
    public int Dims { get; }
    public int Channels { get; }
    public bool Iterative { get; }
    /// <summary>1/ω0, FINER's |z| + 1 factor from the folded output y = ω0·z.</summary>
    public float InverseOmega { get; }
    public TimeEmbedding Embedding { get; }
    public int TimeFeatures { get; }
    public GateActivation Gate { get; }
    public FusionMode Fusion { get; }
    /// <summary>WIRE's ω0 (the wavelet's frequency) and s0² (its envelope's scale, squared); 0 for other backbones.</summary>
    public float GaborOmega { get; }
    public float GaborScaleSquared { get; }
    /// <summary>Widest layer input or output in floats (the encoding included; complex units count twice).</summary>
    public int MaxWidth { get; }
    /// <summary>Width of the input of the backbone's first dense layer.</summary>
    public int FirstInput => Backbone[0].In;

    /// <summary>The description of <paramref name="net"/>, or null (with the reason) when the fused kernels do not cover it.</summary>
    public static FusedNetwork? TryCreate(IterativeInr net, out string? reason)
    {
        var o = net.Options;
        Activation act;
        switch (o.Backbone)
        {
            case BackboneKind.Siren: act = Activation.Sine; break;
            case BackboneKind.Finer: act = Activation.Finer; break;
            case BackboneKind.Gauss: act = Activation.Gauss; break;
            case BackboneKind.FourierFeatures: act = Activation.Relu; break;
            case BackboneKind.Wire when net.BackboneNetwork is WireBackbone: act = Activation.Gabor; break;
            default: reason = $"the {o.Backbone} backbone has no fused kernel"; return null;
        }
        if (net.parameters().Any(p => p.device_type != TorchSharp.DeviceType.CPU || !p.is_contiguous()
            || !(p.dtype == ScalarType.Float32 || (act == Activation.Gabor && p.dtype == ScalarType.ComplexFloat32))))
        {
            reason = "the weights are not contiguous fp32 (complex64 for WIRE) on the CPU";
            return null;
        }
        float[]? frequencies = null;
        int featureCount = 0;
        if (act == Activation.Relu)
        {
            var buffers = net.BackboneNetwork.named_buffers().ToList();
            if (buffers.Count != 1 || buffers[0].buffer.dim() != 2 || buffers[0].buffer.shape[0] != net.InputDims)
            {
                reason = "the Fourier-features encoding is not the one the fused kernel computes";
                return null;
            }
            using var f = buffers[0].buffer.detach().contiguous();
            featureCount = (int)f.shape[1];
            frequencies = MemoryMarshal.Cast<byte, float>(f.bytes).ToArray();
        }
        var layers = new List<Layer>();
        int offset = 0;
        int Add(TorchSharp.torch.nn.Module? module, bool head)
        {
            if (module is null) return 0;
            int count = 0;
            foreach (var d in module.modules().OfType<DenseLayer>())
            {
                var l = new Layer(d.InFeatures, d.OutFeatures, offset, d, head, d.weight.dtype == ScalarType.ComplexFloat32);
                layers.Add(l);
                offset = l.End;
                count++;
            }
            return count;
        }
        int backbone = Add(net.BackboneNetwork, false);
        int feedback = Add(net.Feedback, true);
        Add(net.Fuse, true);
        if (layers.Sum(l => (long)(l.In + 1) * l.Out) != net.parameters().Sum(p => p.numel()))
        {
            reason = "the network has parameters outside its dense layers";
            return null;
        }
        int firstIn = act == Activation.Relu ? 2 * featureCount : net.InputDims;
        // WIRE's first layer is real and every later backbone layer complex; every other layer is real.
        bool ComplexAsExpected(int i) => layers[i].Complex == (act == Activation.Gabor && i > 0 && i < backbone);
        if (backbone < 1 || layers[0].In != firstIn || layers[backbone - 1].Out != net.Channels
            || (act == Activation.Gabor && backbone < 2) || !Enumerable.Range(0, layers.Count).All(ComplexAsExpected))
        {
            reason = "the backbone's layers are not a chain from the coordinates to the channels";
            return null;
        }
        var layout = new FusedNetwork(net, act, frequencies, featureCount, layers, backbone, feedback);
        if (!Verified.GetValue(net, _ => layout.BackboneMatchesTheModule()).Value)
        {
            reason = "the backbone's forward pass is not the one the fused kernel computes";
            return null;
        }
        reason = null;
        return layout;
    }

    // Whether the kernel's forward pass equals the module's, checked once per network: a guard against a backbone
    // that changes (a new option, a new encoding) without its fused kernel following.
    static readonly ConditionalWeakTable<IterativeInr, StrongBox<bool>> Verified = new();

    StrongBox<bool> BackboneMatchesTheModule()
    {
        const int rows = 16;
        var x = new float[rows * Dims];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Sin(1.7f * i + 0.3f); // spread over [-1, 1]
        float[] expected;
        using (no_grad())
        using (var xt = TensorIO.FromSpan(x, rows, Dims, TorchSharp.torch.CPU))
        using (var b = Network.Backbone(xt))
        using (var bc = b.contiguous())
            expected = MemoryMarshal.Cast<byte, float>(bc.bytes).ToArray();
        using var weights = new NativeFloats(ParameterCount);
        Pack(weights.Pointer);
        using var kernel = new BackboneKernel(this, rows);
        int previous = MklBlas.SetThreadsForCurrentThread(1);
        try
        {
            fixed (float* px = x) kernel.Forward(weights.Pointer, px, rows, keepSlopes: false);
        }
        finally
        {
            MklBlas.SetThreadsForCurrentThread(previous);
        }
        var actual = new ReadOnlySpan<float>(kernel.Output, rows * Channels);
        float scale = expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++)
            if (!(MathF.Abs(actual[i] - expected[i]) <= 1e-3f * scale + 1e-5f)) return new StrongBox<bool>(false);
        return new StrongBox<bool>(true);
    }

    /// <summary>Copies the module's weights into <paramref name="flat"/> (<see cref="ParameterCount"/> floats).</summary>
    public void Pack(float* flat)
    {
        using var _ = no_grad();
        foreach (var l in Layers)
        {
            Copy(l.Module.weight, new Span<float>(flat + l.Weight, l.WeightLength));
            Copy(l.Module.bias, new Span<float>(flat + l.Bias, l.BiasLength));
        }

        static void Copy(Tensor t, Span<float> into)
        {
            using var c = t.detach().contiguous();
            MemoryMarshal.Cast<byte, float>(c.bytes).CopyTo(into);
        }
    }

    /// <summary>Writes <paramref name="flat"/> into the module's weights.</summary>
    public void Unpack(float* flat)
    {
        using var _ = no_grad();
        foreach (var l in Layers)
        {
            new ReadOnlySpan<float>(flat + l.Weight, l.WeightLength).CopyTo(MemoryMarshal.Cast<byte, float>(l.Module.weight.bytes));
            new ReadOnlySpan<float>(flat + l.Bias, l.BiasLength).CopyTo(MemoryMarshal.Cast<byte, float>(l.Module.bias.bytes));
        }
    }
}
