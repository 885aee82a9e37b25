using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Alg. 2's refinement after the backbone (FeedbackNet, FuseNet, the gate and the update
/// g ← (δ/t)·f + (1 − δ/t)·g), evaluated in managed SIMD code on the CPU, one row per SIMD lane.
/// </summary>
/// <remarks>
/// Why: on a CPU the heads are a chain of skinny GEMMs (K or N of 3) that MKL runs at a few
/// GFLOP/s, plus an activation pass over an N×100 tensor per layer; through libtorch they cost
/// many times their share of a backbone's multiply-adds (docs/PERFORMANCE.md). Per row the heads
/// are about a thousand multiply-adds whose activations fit in cache, so evaluating a few rows at a
/// time removes every intermediate tensor. The weights are a snapshot taken at construction; the
/// libtorch path (<see cref="IterativeInr.Predict(IterativeInr.Refinement, Tensor, double)"/>)
/// stays the reference and the path for CUDA. Rows are independent, so the result does not
/// depend on the thread count.
/// </remarks>
internal sealed class CpuRefinementKernel
{
    const int RowsPerBlock = 512;
    /// <summary>Row groups per pass: each broadcast weight feeds this many FMAs, and their chains run side by side.</summary>
    const int Groups = 2;
    static readonly int RowsPerPass = Groups * Vector<float>.Count;

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
        var timeBias = TimeBias(steps);
        fixed (float* pb = b, px = x, pz = z, po = output)
        {
            nint ab = (nint)pb, ax = (nint)px, az = (nint)pz, ao = (nint)po;
            if (threads <= 1)
            {
                // On the caller's thread (a fused-inference worker): no task machinery.
                var scratch = ThreadScratch();
                for (int r = 0; r < rows; r += RowsPerPass)
                    Lanes_(r, Math.Min(RowsPerPass, rows - r), pb, px, pz, po, steps, timeBias, scratch);
                return;
            }
            int blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
            // One Scratch per worker thread, reused across its blocks.
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                ThreadScratch,
                (blk, _, s) =>
                {
                    int end = Math.Min(rows, (blk + 1) * RowsPerBlock);
                    for (int r = blk * RowsPerBlock; r < end; r += RowsPerPass)
                        Lanes_(r, Math.Min(RowsPerPass, end - r), (float*)ab, (float*)ax, (float*)az, (float*)ao, steps, timeBias, s);
                    return s;
                },
                _ => { });
        }
    }

    // The last steps' per-step biases: a kernel serves every chunk of a call, with the same steps.
    (int Steps, float[][] Bias)? _timeBias;

    // FeedbackNet's time input is the same for every row of a step: folded into a per-step bias.
    float[][] TimeBias(int steps)
    {
        if (_timeBias is { } cached && cached.Steps == steps) return cached.Bias;
        int c = _channels, d = _dims;
        var bias = IterativeSampler.Times(steps).Select(t => _feedback is null ? [] : _feedback[0].Partial(c + d, Embed(t))).ToArray();
        _timeBias = (steps, bias); // a race computes the same value twice
        return bias;
    }

    // Kept per thread: the fused-inference workers call Run once per chunk.
    [ThreadStatic] static Scratch? t_scratch;

    Scratch ThreadScratch()
    {
        var s = t_scratch;
        if (s is null || !s.Fits(_scratch, _channels, _dims)) t_scratch = s = new Scratch(_scratch, _channels, _dims);
        return s;
    }

    // Per-thread buffers; every row-dependent value is a pair of vectors (feature m of the two row groups at 2m and 2m + 1)
    // holding one row per SIMD lane.
    sealed class Scratch(int width, int channels, int dims)
    {
        public readonly Vector<float>[] A = new Vector<float>[Groups * width], B = new Vector<float>[Groups * width];
        public readonly Vector<float>[] G = new Vector<float>[Groups * channels], F = new Vector<float>[Groups * channels], Gate = new Vector<float>[Groups * channels];
        public readonly Vector<float>[] Bv = new Vector<float>[Groups * channels], X = new Vector<float>[Groups * dims];
        public readonly Vector<float>[] FeedbackStart = new Vector<float>[Groups * width], FuseStart = new Vector<float>[Groups * width];
        public readonly float[] Lane = new float[Vector<float>.Count];

        public bool Fits(int w, int c, int d) => w == width && c == channels && d == dims;
    }

    // Rows r .. r+count-1 (count ≤ 2 × lanes) side by side in SIMD lanes, two groups of rows: each layer is then
    // Out×In broadcast FMAs for all of them, with no horizontal sums, and each broadcast weight feeds both groups.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    unsafe void Lanes_(int r, int count, float* b, float* x, float* z, float* output, int steps, float[][] timeBias, Scratch s)
    {
        int c = _channels, d = _dims;
        Gather(b + (long)r * c, c, count, s.Bv);
        Gather(z + (long)r * c, c, count, s.G);
        Gather(x + (long)r * d, d, count, s.X);
        // The first layers' inputs that no step changes (x for FeedbackNet, b for FuseNet) are
        // multiplied once; each step adds only the g (or f) columns.
        _feedback?[0].Accumulate(s.X, c, d, null, null, s.FeedbackStart, relu: false);
        _fuse?[0].Accumulate(s.Bv, c, c, null, null, s.FuseStart, relu: false);
        var g = s.G;
        for (int k = 0; k < steps; k++)
        {
            // f = FeedbackNet(g, x, t) (or g)
            var f = s.F;
            if (_feedback is not null) Head(_feedback, g, s.FeedbackStart, timeBias[k], s, f);
            else Array.Copy(g, f, Groups * c);

            // gate = FuseNet(f, b) (or f), then the gate's activation and the fusion with b
            Vector<float>[] gate = f;
            if (_fuse is not null) Head(_fuse, f, s.FuseStart, null, s, gate = s.Gate);

            double ratio = 1.0 / (steps - k);
            var take = new Vector<float>((float)ratio);
            var keep = new Vector<float>((float)(1 - ratio));
            bool last = k == steps - 1;
            for (int j = 0; j < Groups * c; j++)
            {
                var a = _gate == GateActivation.Identity ? gate[j] : Activate(gate[j], s.Lane);
                var pred = _fusion == FusionMode.Multiplicative ? a * s.Bv[j] : a + s.Bv[j];
                g[j] = last ? pred : pred * take + keep * g[j];
            }
        }
        fixed (Vector<float>* pg = g)
        {
            // Feature j of row l sits at float (Groups·j + l / Lanes)·Lanes + l % Lanes = Groups·Lanes·j + l.
            float* gf = (float*)pg, o = output + (long)r * c;
            for (int l = 0; l < count; l++)
                for (int j = 0; j < c; j++) o[l * c + j] = gf[RowsPerPass * j + l];
        }
    }

    // Column j of a rows×cols block → vectors 2j and 2j + 1 (row l in lane l of the first, row L + l in the second, L lanes);
    // missing rows are zero.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    static unsafe void Gather(float* src, int cols, int count, Vector<float>[] into)
    {
        if (into.Length < Groups * cols || count > RowsPerPass) throw new ArgumentException("The gather buffer is shorter than the block.");
        fixed (Vector<float>* pi = into)
        {
            // Feature j of row l goes to float (Groups·j + l / Lanes)·Lanes + l % Lanes = Groups·Lanes·j + l.
            float* dst = (float*)pi;
            int rows = RowsPerPass;
            for (int l = 0; l < count; l++)
                for (int j = 0; j < cols; j++) dst[rows * j + l] = src[(long)l * cols + j];
            for (int l = count; l < rows; l++)
                for (int j = 0; j < cols; j++) dst[rows * j + l] = 0;
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

    // One head (FeedbackNet or FuseNet) on the columns that change per step (g or f, C of them), the first layer's other
    // inputs already in start: writes its C outputs to result.
    void Head(PackedLayer[] layers, Vector<float>[] input, Vector<float>[] start, float[]? add, Scratch s, Vector<float>[] result)
    {
        int c = _channels;
        if (layers.Length == 2 && c <= PackedLayer.MaxNarrow && layers[1].Out <= PackedLayer.MaxFusedOutputs)
        {
            layers[0].ThroughHidden(input, c, start, add, layers[1], result);
            return;
        }
        layers[0].Accumulate(input, 0, c, start, add, s.A, relu: layers.Length > 1);
        Array.Copy(Rest(layers, s), result, Groups * c);
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
    internal sealed class PackedLayer
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

        /// <summary>output[m] = start[m] (or the bias) + add[m] + Σ_{j &lt; cols} W[m, col0 + j]·input[j], then ReLU if asked,
        /// for both row groups (feature m at 2m and 2m + 1).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
        public unsafe void Accumulate(Vector<float>[] input, int col0, int cols, Vector<float>[]? start, float[]? add, Vector<float>[] output, bool relu)
        {
            if (input.Length < Groups * cols || output.Length < Groups * Out || (start is not null && start.Length < Groups * Out)
                || (add is not null && add.Length < Out) || col0 < 0 || col0 + cols > In)
                throw new ArgumentException("A head buffer is shorter than the layer.");
            fixed (float* w = Weight, bias = Bias, pa = add)
            fixed (Vector<float>* x = input, o = output, st = start)
            {
                if (cols <= MaxNarrow && UseVector512) Narrow512(w + col0, bias, (Vector512<float>*)x, cols, (Vector512<float>*)st, pa, (Vector512<float>*)o, relu);
                else if (cols <= MaxNarrow) Narrow(w + col0, bias, x, cols, st, pa, o, relu);
                else Wide(w + col0, bias, x, cols, st, pa, o, relu);
            }
        }

        /// <summary>Most inputs <see cref="Narrow"/> keeps in registers.</summary>
        public const int MaxNarrow = 4;

        /// <summary>Most outputs of the layer after this one that <see cref="ThroughHidden"/> accumulates in registers.</summary>
        public const int MaxFusedOutputs = 3;

        /// <summary>This layer (ReLU after it) and <paramref name="next"/> in one pass over the hidden units, which are never
        /// stored: h_m = relu(start[m] + add[m] + Σ_j W[m, j]·input[j]) for j &lt; cols (≤ <see cref="MaxNarrow"/>), then
        /// output[k] = next.Bias[k] + Σ_m next.W[k, m]·h_m for k &lt; next.Out (≤ <see cref="MaxFusedOutputs"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
        public unsafe void ThroughHidden(Vector<float>[] input, int cols, Vector<float>[] start, float[]? add, PackedLayer next, Vector<float>[] output)
        {
            if (cols < 1 || cols > MaxNarrow || cols > In || next.In != Out || next.Out > MaxFusedOutputs || input.Length < Groups * cols
                || start.Length < Groups * Out || (add is not null && add.Length < Out) || output.Length < Groups * next.Out)
                throw new ArgumentException("The head's buffers or layers do not fit the fused pass.");
            int outs = next.Out, hidden = Out;
            fixed (float* w = Weight, pa = add, v = next.Weight)
            fixed (Vector<float>* x = input, st = start)
            {
                if (UseVector512)
                {
                    fixed (Vector<float>* po = output) ThroughHidden512(w, pa, v, next.Bias, (Vector512<float>*)x, cols, (Vector512<float>*)st, outs, (Vector512<float>*)po);
                    return;
                }
                var zero = Vector<float>.Zero;
                Vector<float> x0a = x[0], x0b = x[1];
                Vector<float> x1a = cols > 1 ? x[2] : zero, x1b = cols > 1 ? x[3] : zero;
                Vector<float> x2a = cols > 2 ? x[4] : zero, x2b = cols > 2 ? x[5] : zero;
                Vector<float> x3a = cols > 3 ? x[6] : zero, x3b = cols > 3 ? x[7] : zero;
                // The next layer's rows; missing ones repeat the first: accumulated, never stored.
                float* v0 = v, v1 = outs > 1 ? v + hidden : v, v2 = outs > 2 ? v + 2 * hidden : v;
                Vector<float> o0a = zero, o0b = zero, o1a = zero, o1b = zero, o2a = zero, o2b = zero;
                float* wm = w;
                for (int m = 0; m < hidden; m++, wm += In)
                {
                    var a0 = st[2 * m];
                    var a1 = st[2 * m + 1];
                    if (pa is not null) { var ad = new Vector<float>(pa[m]); a0 += ad; a1 += ad; }
                    var u = new Vector<float>(wm[0]);
                    a0 = Vector.FusedMultiplyAdd(u, x0a, a0);
                    a1 = Vector.FusedMultiplyAdd(u, x0b, a1);
                    if (cols > 1)
                    {
                        u = new Vector<float>(wm[1]);
                        a0 = Vector.FusedMultiplyAdd(u, x1a, a0);
                        a1 = Vector.FusedMultiplyAdd(u, x1b, a1);
                    }
                    if (cols > 2)
                    {
                        u = new Vector<float>(wm[2]);
                        a0 = Vector.FusedMultiplyAdd(u, x2a, a0);
                        a1 = Vector.FusedMultiplyAdd(u, x2b, a1);
                    }
                    if (cols > 3)
                    {
                        u = new Vector<float>(wm[3]);
                        a0 = Vector.FusedMultiplyAdd(u, x3a, a0);
                        a1 = Vector.FusedMultiplyAdd(u, x3b, a1);
                    }
                    a0 = Vector.MaxNative(a0, zero);
                    a1 = Vector.MaxNative(a1, zero);
                    u = new Vector<float>(v0[m]);
                    o0a = Vector.FusedMultiplyAdd(u, a0, o0a);
                    o0b = Vector.FusedMultiplyAdd(u, a1, o0b);
                    u = new Vector<float>(v1[m]);
                    o1a = Vector.FusedMultiplyAdd(u, a0, o1a);
                    o1b = Vector.FusedMultiplyAdd(u, a1, o1b);
                    u = new Vector<float>(v2[m]);
                    o2a = Vector.FusedMultiplyAdd(u, a0, o2a);
                    o2b = Vector.FusedMultiplyAdd(u, a1, o2b);
                }
                var b0 = new Vector<float>(next.Bias[0]);
                output[0] = o0a + b0;
                output[1] = o0b + b0;
                if (outs > 1) { var b1 = new Vector<float>(next.Bias[1]); output[2] = o1a + b1; output[3] = o1b + b1; }
                if (outs > 2) { var b2 = new Vector<float>(next.Bias[2]); output[4] = o2a + b2; output[5] = o2b + b2; }
            }
        }

        /// <summary>Where a pair of vectors is one 512-bit register (AVX-512 with 256-bit <see cref="Vector{T}"/>), the two
        /// row groups of the narrow layers run as one: half the instructions, the same arithmetic per row. Tests turn it off
        /// to check the portable path on such a machine.</summary>
        internal static bool UseVector512 { get; set; } = Vector512.IsHardwareAccelerated && Vector<float>.Count * Groups == Vector512<float>.Count;

        // The input count of the narrow layers as a type, so the JIT compiles one loop per count without its branches.
        internal interface IColumns { static abstract int Count { get; } }
        internal struct One : IColumns { public static int Count => 1; }
        internal struct Two : IColumns { public static int Count => 2; }
        internal struct Three : IColumns { public static int Count => 3; }
        internal struct Four : IColumns { public static int Count => 4; }

        unsafe void ThroughHidden512(float* w, float* add, float* v, float[] nextBias, Vector512<float>* x, int cols, Vector512<float>* start, int outs, Vector512<float>* output)
        {
            switch (cols)
            {
                case 1: ThroughHidden512<One>(w, add, v, nextBias, x, start, outs, output); break;
                case 2: ThroughHidden512<Two>(w, add, v, nextBias, x, start, outs, output); break;
                case 3: ThroughHidden512<Three>(w, add, v, nextBias, x, start, outs, output); break;
                default: ThroughHidden512<Four>(w, add, v, nextBias, x, start, outs, output); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        unsafe void ThroughHidden512<TColumns>(float* w, float* add, float* v, float[] nextBias, Vector512<float>* x, Vector512<float>* start, int outs, Vector512<float>* output)
            where TColumns : struct, IColumns
        {
            int hidden = Out, stride = In, cols = TColumns.Count;
            var zero = Vector512<float>.Zero;
            Vector512<float> x0 = x[0], x1 = cols > 1 ? x[1] : zero, x2 = cols > 2 ? x[2] : zero, x3 = cols > 3 ? x[3] : zero;
            float* v0 = v, v1 = outs > 1 ? v + hidden : v, v2 = outs > 2 ? v + 2 * hidden : v;
            Vector512<float> o0 = zero, o1 = zero, o2 = zero;
            float* wm = w;
            for (int m = 0; m < hidden; m++, wm += stride)
            {
                var a = start[m];
                if (add is not null) a += Vector512.Create(add[m]);
                a = Vector512.FusedMultiplyAdd(Vector512.Create(wm[0]), x0, a);
                if (cols > 1) a = Vector512.FusedMultiplyAdd(Vector512.Create(wm[1]), x1, a);
                if (cols > 2) a = Vector512.FusedMultiplyAdd(Vector512.Create(wm[2]), x2, a);
                if (cols > 3) a = Vector512.FusedMultiplyAdd(Vector512.Create(wm[3]), x3, a);
                a = Vector512.MaxNative(a, zero);
                o0 = Vector512.FusedMultiplyAdd(Vector512.Create(v0[m]), a, o0);
                o1 = Vector512.FusedMultiplyAdd(Vector512.Create(v1[m]), a, o1);
                o2 = Vector512.FusedMultiplyAdd(Vector512.Create(v2[m]), a, o2);
            }
            output[0] = o0 + Vector512.Create(nextBias[0]);
            if (outs > 1) output[1] = o1 + Vector512.Create(nextBias[1]);
            if (outs > 2) output[2] = o2 + Vector512.Create(nextBias[2]);
        }

        unsafe void Narrow512(float* w, float* bias, Vector512<float>* x, int cols, Vector512<float>* start, float* add, Vector512<float>* o, bool relu)
        {
            switch (cols)
            {
                case 1: Narrow512<One>(w, bias, x, start, add, o, relu); break;
                case 2: Narrow512<Two>(w, bias, x, start, add, o, relu); break;
                case 3: Narrow512<Three>(w, bias, x, start, add, o, relu); break;
                default: Narrow512<Four>(w, bias, x, start, add, o, relu); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        unsafe void Narrow512<TColumns>(float* w, float* bias, Vector512<float>* x, Vector512<float>* start, float* add, Vector512<float>* o, bool relu)
            where TColumns : struct, IColumns
        {
            int outs = Out, stride = In, cols = TColumns.Count;
            var zero = Vector512<float>.Zero;
            Vector512<float> x0 = x[0], x1 = cols > 1 ? x[1] : zero, x2 = cols > 2 ? x[2] : zero, x3 = cols > 3 ? x[3] : zero;
            for (int m = 0; m < outs; m++, w += stride)
            {
                var a = start is null ? Vector512.Create(bias[m]) : start[m];
                if (add is not null) a += Vector512.Create(add[m]);
                a = Vector512.FusedMultiplyAdd(Vector512.Create(w[0]), x0, a);
                if (cols > 1) a = Vector512.FusedMultiplyAdd(Vector512.Create(w[1]), x1, a);
                if (cols > 2) a = Vector512.FusedMultiplyAdd(Vector512.Create(w[2]), x2, a);
                if (cols > 3) a = Vector512.FusedMultiplyAdd(Vector512.Create(w[3]), x3, a);
                o[m] = relu ? Vector512.MaxNative(a, zero) : a;
            }
        }

        // Few inputs (the columns of g, f, x or b; up to four) and many outputs: the inputs stay in registers, and each
        // output is one short chain per group; out-of-order execution overlaps the outputs' chains.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        unsafe void Narrow(float* w, float* bias, Vector<float>* x, int cols, Vector<float>* start, float* add, Vector<float>* o, bool relu)
        {
            var zero = Vector<float>.Zero;
            Vector<float> x0a = x[0], x0b = x[1];
            Vector<float> x1a = cols > 1 ? x[2] : zero, x1b = cols > 1 ? x[3] : zero;
            Vector<float> x2a = cols > 2 ? x[4] : zero, x2b = cols > 2 ? x[5] : zero;
            Vector<float> x3a = cols > 3 ? x[6] : zero, x3b = cols > 3 ? x[7] : zero;
            for (int m = 0; m < Out; m++, w += In)
            {
                Vector<float> a0, a1;
                if (start is null) a0 = a1 = new Vector<float>(bias[m]);
                else { a0 = start[2 * m]; a1 = start[2 * m + 1]; }
                if (add is not null) { var ad = new Vector<float>(add[m]); a0 += ad; a1 += ad; }
                var w0 = new Vector<float>(w[0]);
                a0 = Vector.FusedMultiplyAdd(w0, x0a, a0);
                a1 = Vector.FusedMultiplyAdd(w0, x0b, a1);
                if (cols > 1)
                {
                    var w1 = new Vector<float>(w[1]);
                    a0 = Vector.FusedMultiplyAdd(w1, x1a, a0);
                    a1 = Vector.FusedMultiplyAdd(w1, x1b, a1);
                }
                if (cols > 2)
                {
                    var w2 = new Vector<float>(w[2]);
                    a0 = Vector.FusedMultiplyAdd(w2, x2a, a0);
                    a1 = Vector.FusedMultiplyAdd(w2, x2b, a1);
                }
                if (cols > 3)
                {
                    var w3 = new Vector<float>(w[3]);
                    a0 = Vector.FusedMultiplyAdd(w3, x3a, a0);
                    a1 = Vector.FusedMultiplyAdd(w3, x3b, a1);
                }
                if (relu) { a0 = Vector.MaxNative(a0, zero); a1 = Vector.MaxNative(a1, zero); }
                o[2 * m] = a0;
                o[2 * m + 1] = a1;
            }
        }

        // Many inputs (a hidden layer's), usually few outputs (the C channels): up to three outputs at a time, so that each
        // input pair loaded feeds six independent FMA chains (fewer would wait on the FMA latency).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        unsafe void Wide(float* w, float* bias, Vector<float>* x, int cols, Vector<float>* start, float* add, Vector<float>* o, bool relu)
        {
            for (int m0 = 0; m0 < Out; m0 += 3)
            {
                int block = Math.Min(3, Out - m0);
                // Rows past the block's end repeat its first row: computed, never stored.
                float* w0 = w + (long)m0 * In, w1 = block > 1 ? w0 + In : w0, w2 = block > 2 ? w0 + 2 * In : w0;
                Vector<float> a0 = Vector<float>.Zero, a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0;
                Vector<float>* xj = x;
                for (int j = 0; j < cols; j++, xj += 2)
                {
                    var xa = xj[0];
                    var xb = xj[1];
                    var u = new Vector<float>(w0[j]);
                    a0 = Vector.FusedMultiplyAdd(u, xa, a0);
                    a1 = Vector.FusedMultiplyAdd(u, xb, a1);
                    u = new Vector<float>(w1[j]);
                    b0 = Vector.FusedMultiplyAdd(u, xa, b0);
                    b1 = Vector.FusedMultiplyAdd(u, xb, b1);
                    u = new Vector<float>(w2[j]);
                    c0 = Vector.FusedMultiplyAdd(u, xa, c0);
                    c1 = Vector.FusedMultiplyAdd(u, xb, c1);
                }
                Store(m0, a0, a1, bias, start, add, o, relu);
                if (block > 1) Store(m0 + 1, b0, b1, bias, start, add, o, relu);
                if (block > 2) Store(m0 + 2, c0, c1, bias, start, add, o, relu);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static unsafe void Store(int m, Vector<float> a0, Vector<float> a1, float* bias, Vector<float>* start, float* add, Vector<float>* o, bool relu)
        {
            if (start is null) { var bm = new Vector<float>(bias[m]); a0 += bm; a1 += bm; }
            else { a0 += start[2 * m]; a1 += start[2 * m + 1]; }
            if (add is not null) { var ad = new Vector<float>(add[m]); a0 += ad; a1 += ad; }
            if (relu) { a0 = Vector.MaxNative(a0, Vector<float>.Zero); a1 = Vector.MaxNative(a1, Vector<float>.Zero); }
            o[2 * m] = a0;
            o[2 * m + 1] = a1;
        }
    }
}
