using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Alg. 2's refinement after the backbone (FeedbackNet, FuseNet, the gate and the update
/// g ← (δ/t)·f + (1 − δ/t)·g), evaluated in managed SIMD code on the CPU, one row per SIMD lane.
/// </summary>
/// <remarks>
/// Why: on a CPU the heads are a chain of skinny GEMMs (K or N of 3) that MKL runs at a few
/// GFLOP/s, plus an activation pass over an N×100 tensor per layer; through libtorch they cost
/// 8–15% of a 3×256 SIREN's inference for about 1% of its multiply-adds. Per row the heads are
/// ~1,200 multiply-adds whose activations fit in cache, so evaluating a few rows at a time
/// removes every intermediate tensor. The weights are a snapshot taken at construction; the
/// libtorch path (<see cref="IterativeInr.Predict(IterativeInr.Refinement, Tensor, double)"/>)
/// stays the reference and the path for CUDA. Rows are independent, so the result does not
/// depend on the thread count.
/// </remarks>
internal sealed class CpuRefinementKernel
{
    static readonly int Lanes = Vector<float>.Count;
    const int RowsPerBlock = 512;

    readonly int _channels, _dims, _timeFeatures;
    readonly TimeEmbedding _embedding;
    readonly PackedLayer[]? _feedback;
    readonly PackedLayer[]? _fuse;
    readonly GateActivation _gate;
    readonly FusionMode _fusion;
    readonly int _scratch;

    CpuRefinementKernel(IterativeInr net)
    {
        _channels = net.Channels;
        _dims = net.InputDims;
        _gate = net.Options.Gate;
        _fusion = net.Options.Fusion;
        if (net.Feedback is { } fb)
        {
            _embedding = fb.Embedding;
            _timeFeatures = FeedbackNet.TimeFeatures(_embedding);
            _feedback = fb.Mlp.Layers.Select(PackedLayer.From).ToArray();
        }
        if (net.Fuse is { } fu) _fuse = fu.Mlp.Layers.Select(PackedLayer.From).ToArray();
        int widest = 2 * _channels + _dims + _timeFeatures;
        foreach (var l in (_feedback ?? []).Concat(_fuse ?? []))
            widest = Math.Max(widest, Math.Max(l.In, l.Out));
        _scratch = widest;
    }

    /// <summary>A kernel for <paramref name="net"/>, or null when the libtorch path must run it
    /// (not iterative, or its weights are not on the CPU).</summary>
    public static CpuRefinementKernel? TryCreate(IterativeInr net)
    {
        if (!net.IsIterative) return null;
        // Only the heads' weights matter here (the backbone runs in libtorch; WIRE's are complex).
        var heads = (net.Feedback?.parameters() ?? []).Concat(net.Fuse?.parameters() ?? []);
        if (heads.Any(p => p.device_type != TorchSharp.DeviceType.CPU || p.dtype != ScalarType.Float32)) return null;
        using var _ = no_grad();
        return new CpuRefinementKernel(net);
    }

    /// <summary>Runs <paramref name="steps"/> steps of Alg. 2 for <paramref name="rows"/> rows:
    /// backbone outputs <paramref name="b"/> (rows×C), coordinates <paramref name="x"/> (rows×D),
    /// start state <paramref name="z"/> (rows×C); writes g₀ to <paramref name="output"/> (rows×C).</summary>
    public unsafe void Run(ReadOnlySpan<float> b, ReadOnlySpan<float> x, ReadOnlySpan<float> z, int rows, int steps, Span<float> output, int threads)
    {
        int c = _channels, d = _dims;
        if (b.Length < rows * c || z.Length < rows * c || output.Length < rows * c || x.Length < rows * d)
            throw new ArgumentException("A buffer is shorter than rows × columns.");
        // FeedbackNet's time input is the same for every row of a step: fold it into a per-step bias.
        var timeBias = IterativeSampler.Times(steps).Select(t => _feedback is null ? [] : _feedback[0].Partial(c + d, Embed(t))).ToArray();
        fixed (float* pb = b, px = x, pz = z, po = output)
        {
            nint ab = (nint)pb, ax = (nint)px, az = (nint)pz, ao = (nint)po;
            if (threads <= 1)
            {
                // On the caller's thread (a fused-inference worker): no task machinery.
                var scratch = new Scratch(_scratch, c, d);
                for (int r = 0; r < rows; r += Lanes)
                    Lanes_(r, Math.Min(Lanes, rows - r), pb, px, pz, po, steps, timeBias, scratch);
                return;
            }
            int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
            // One Scratch per worker thread, reused across its blocks.
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                () => new Scratch(_scratch, c, d),
                (blk, _, s) =>
                {
                    int end = Math.Min(rows, (blk + 1) * RowsPerBlock);
                    for (int r = blk * RowsPerBlock; r < end; r += Lanes)
                        Lanes_(r, Math.Min(Lanes, end - r), (float*)ab, (float*)ax, (float*)az, (float*)ao, steps, timeBias, s);
                    return s;
                },
                _ => { });
        }
    }

    // Per-thread buffers; every row-dependent value is a vector holding one row per SIMD lane.
    sealed class Scratch(int width, int channels, int dims)
    {
        public readonly Vector<float>[] A = new Vector<float>[width], B = new Vector<float>[width];
        public readonly Vector<float>[] G = new Vector<float>[channels], F = new Vector<float>[channels];
        public readonly Vector<float>[] Bv = new Vector<float>[channels], X = new Vector<float>[dims];
        public readonly Vector<float>[] FeedbackStart = new Vector<float>[width], FuseStart = new Vector<float>[width];
        public readonly float[] Lane = new float[Vector<float>.Count];
    }

    // Rows r .. r+count-1 (count ≤ lanes) side by side in SIMD lanes: each layer is then
    // Out×In broadcast-FMAs for all of them, with no horizontal sums.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    unsafe void Lanes_(int r, int count, float* b, float* x, float* z, float* output, int steps, float[][] timeBias, Scratch s)
    {
        int c = _channels, d = _dims;
        Gather(b + (long)r * c, c, count, s.Bv, s.Lane);
        Gather(z + (long)r * c, c, count, s.G, s.Lane);
        Gather(x + (long)r * d, d, count, s.X, s.Lane);
        // The first layers' inputs that no step changes (x for FeedbackNet, b for FuseNet) are
        // multiplied once; each step adds only the g (or f) columns.
        _feedback?[0].Accumulate(s.X, c, d, null, null, s.FeedbackStart, relu: false);
        _fuse?[0].Accumulate(s.Bv, c, c, null, null, s.FuseStart, relu: false);
        var g = s.G;
        for (int k = 0; k < steps; k++)
        {
            // f = FeedbackNet(g, x, t) (or g)
            var f = s.F;
            if (_feedback is not null)
            {
                _feedback[0].Accumulate(g, 0, c, s.FeedbackStart, timeBias[k], s.A, relu: _feedback.Length > 1);
                Array.Copy(Rest(_feedback, s), f, c);
            }
            else Array.Copy(g, f, c);

            // gate = FuseNet(f, b) (or f), then the gate's activation and the fusion with b
            Vector<float>[] gate = f;
            if (_fuse is not null)
            {
                _fuse[0].Accumulate(f, 0, c, s.FuseStart, null, s.A, relu: _fuse.Length > 1);
                gate = Rest(_fuse, s);
            }

            double ratio = 1.0 / (steps - k);
            var take = new Vector<float>((float)ratio);
            var keep = new Vector<float>((float)(1 - ratio));
            bool last = k == steps - 1;
            for (int j = 0; j < c; j++)
            {
                var a = Activate(gate[j], s.Lane);
                var pred = _fusion == FusionMode.Multiplicative ? a * s.Bv[j] : a + s.Bv[j];
                g[j] = last ? pred : pred * take + keep * g[j];
            }
        }
        for (int l = 0; l < count; l++)
            for (int j = 0; j < c; j++) output[(long)(r + l) * c + j] = g[j][l];
    }

    // Column j of a rows×cols block → vector j (row l in lane l); missing rows are zero.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    static unsafe void Gather(float* src, int cols, int count, Vector<float>[] into, float[] lane)
    {
        for (int j = 0; j < cols; j++)
        {
            Array.Clear(lane);
            for (int l = 0; l < count; l++) lane[l] = src[(long)l * cols + j];
            into[j] = new Vector<float>(lane);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    Vector<float> Activate(Vector<float> v, float[] lane)
    {
        if (_gate == GateActivation.Identity) return v;
        for (int l = 0; l < lane.Length; l++)
            lane[l] = _gate == GateActivation.TwoSigmoid ? 2f / (1f + MathF.Exp(-v[l])) : 1f + MathF.Tanh(v[l]);
        return new Vector<float>(lane);
    }

    // Runs the layers after the first on s.A (the first layer's output); returns the buffer that holds the output.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    static Vector<float>[] Rest(PackedLayer[] layers, Scratch s)
    {
        Vector<float>[] input = s.A, output = s.B;
        for (int i = 1; i < layers.Length; i++)
        {
            layers[i].Accumulate(input, 0, layers[i].In, null, null, output, relu: i + 1 < layers.Length);
            (input, output) = (output, input);
        }
        return input;
    }

    float[] Embed(double t)
    {
        var e = new float[_timeFeatures];
        if (_timeFeatures == 0) return e;
        float tf = (float)t;
        e[0] = tf;
        if (_embedding == TimeEmbedding.Fourier)
            for (int k = 0; k < 4; k++)
            {
                float a = tf * (float)(Math.PI * (1 << k));
                e[1 + 2 * k] = MathF.Sin(a);
                e[2 + 2 * k] = MathF.Cos(a);
            }
        return e;
    }

    /// <summary>One dense layer's weight (row-major, Out×In) and bias, copied out of libtorch.</summary>
    sealed class PackedLayer
    {
        public int In, Out;
        public float[] Weight = [], Bias = [];

        public static PackedLayer From(DenseLayer layer)
        {
            var p = new PackedLayer { In = layer.InFeatures, Out = layer.OutFeatures };
            p.Weight = new float[p.Out * p.In];
            p.Bias = new float[p.Out];
            using (var wc = layer.weight.detach().contiguous()) MemoryMarshal.Cast<byte, float>(wc.bytes).CopyTo(p.Weight);
            using (var bc = layer.bias.detach().contiguous()) MemoryMarshal.Cast<byte, float>(bc.bytes).CopyTo(p.Bias);
            return p;
        }

        /// <summary>Σ_j W[m, col0 + j]·v_j for every output m: the part of the layer fed by the inputs from col0 on (same for every row).</summary>
        public float[] Partial(int col0, float[] v)
        {
            var r = new float[Out];
            for (int m = 0; m < Out; m++)
            {
                double acc = 0;
                for (int j = 0; j < v.Length; j++) acc += (double)Weight[m * In + col0 + j] * v[j];
                r[m] = (float)acc;
            }
            return r;
        }

        /// <summary>output[m] = start[m] (or the bias) + add[m] + Σ_{j &lt; cols} W[m, col0 + j]·input[j], then ReLU if asked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
        public void Accumulate(Vector<float>[] input, int col0, int cols, Vector<float>[]? start, float[]? add, Vector<float>[] output, bool relu)
        {
            ref float w = ref MemoryMarshal.GetArrayDataReference(Weight);
            ref Vector<float> x = ref MemoryMarshal.GetArrayDataReference(input);
            int n4 = cols & ~3;
            for (int m = 0; m < Out; m++)
            {
                ref float row = ref Unsafe.Add(ref w, m * In + col0);
                Vector<float> a0 = start is null ? new(Bias[m]) : start[m];
                if (add is not null) a0 += new Vector<float>(add[m]);
                int j = 0;
                if (cols >= 8)
                {
                    // Four accumulators: one FMA chain would wait on the FMA latency at every step.
                    Vector<float> a1 = Vector<float>.Zero, a2 = Vector<float>.Zero, a3 = Vector<float>.Zero;
                    for (; j < n4; j += 4)
                    {
                        a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j)), Unsafe.Add(ref x, j), a0);
                        a1 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j + 1)), Unsafe.Add(ref x, j + 1), a1);
                        a2 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j + 2)), Unsafe.Add(ref x, j + 2), a2);
                        a3 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j + 3)), Unsafe.Add(ref x, j + 3), a3);
                    }
                    a0 = (a0 + a1) + (a2 + a3);
                }
                // Short chains: the outputs' chains are independent, so out-of-order execution overlaps them.
                for (; j < cols; j++) a0 = Vector.FusedMultiplyAdd(new Vector<float>(Unsafe.Add(ref row, j)), Unsafe.Add(ref x, j), a0);
                output[m] = relu ? Vector.Max(a0, Vector<float>.Zero) : a0;
            }
        }
    }
}
