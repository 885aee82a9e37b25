using System.Numerics;
using System.Runtime.CompilerServices;

namespace IINR.Trainers.Fused;

/// <summary>What the heads read for one chunk of rows: coordinates, the target (which is also the
/// signal the training state starts from), the start state Z, the state noise n and the time t.</summary>
internal readonly unsafe struct ChunkRows
{
    public float* X { get; init; }
    public float* Y { get; init; }
    public float* Z { get; init; }
    public float* Noise { get; init; }
    /// <summary>One t per row, or a single t when <see cref="TimePerRow"/> is false.</summary>
    public float* T { get; init; }
    public bool TimePerRow { get; init; }
}

/// <summary>
/// The loss of one chunk and its gradient with respect to the backbone output b, through
/// FeedbackNet, FuseNet, the gate and the fusion (Alg. 1) or straight from b for a plain network.
/// The heads are a few thousand multiply-adds per row whose widths (C + D + 1 in, 30 or 100 hidden,
/// C out) starve a matrix product, so rows sit in the SIMD lanes instead, as in
/// <see cref="CpuRefinementKernel"/>: every layer, forward and backward, is a sequence of
/// broadcast FMAs, and the weight gradients are summed per lane over a slot of chunks and
/// across the lanes once at its end.
/// </summary>
internal sealed unsafe class HeadsKernel
{
    static readonly int Lanes = Vector<float>.Count;

    readonly FusedNetwork _net;
    readonly int _c, _d, _headStart;
    readonly bool _multiplicative;                   // the fusion: gate ⊙ b, else gate + b
    readonly Vector<float>[] _grad;                 // head parameters, per lane
    readonly Vector<float>[][] _feedbackIn, _fuseIn; // each layer's input
    readonly Vector<float>[] _f, _dB, _b, _y, _given, _dIn, _delta, _deltaNext, _lastOut;

    public HeadsKernel(FusedNetwork net)
    {
        _net = net;
        _c = net.Channels;
        _multiplicative = net.Fusion == FusionMode.Multiplicative;
        _d = net.Dims;
        var heads = (net.Feedback ?? []).Concat(net.Fuse ?? []).ToArray();
        _headStart = heads.Length > 0 ? heads[0].Weight : net.ParameterCount;
        _grad = new Vector<float>[net.ParameterCount - _headStart];
        _feedbackIn = (net.Feedback ?? []).Select(l => new Vector<float>[l.In]).ToArray();
        _fuseIn = (net.Fuse ?? []).Select(l => new Vector<float>[l.In]).ToArray();
        int widest = Math.Max(2 * _c + _d + net.TimeFeatures, heads.Length == 0 ? 0 : heads.Max(l => Math.Max(l.In, l.Out)));
        _f = new Vector<float>[_c]; _dB = new Vector<float>[_c]; _b = new Vector<float>[_c]; _y = new Vector<float>[_c]; _given = new Vector<float>[_c];
        _dIn = new Vector<float>[widest]; _delta = new Vector<float>[widest]; _deltaNext = new Vector<float>[widest]; _lastOut = new Vector<float>[widest];
    }

    /// <summary>Starts a slot: the per-lane head gradients restart from zero.</summary>
    public void BeginSlot() => Array.Clear(_grad);

    /// <summary>Ends a slot: writes the head gradients, summed over the lanes, at their offsets in <paramref name="grad"/>.</summary>
    public void EndSlot(float* grad)
    {
        for (int i = 0; i < _grad.Length; i++) grad[_headStart + i] = Vector.Sum(_grad[i]);
    }

    /// <summary>For <paramref name="n"/> rows with backbone outputs <paramref name="b"/> (n×C): writes dLoss/db into
    /// <paramref name="db"/> (n×C), adds the head gradients, and returns the chunk's sum of squared errors.
    /// The loss is <paramref name="scale"/> × that sum. With <paramref name="dPrediction"/> (n×C) the loss lies beyond the
    /// prediction (a measurement operator): its gradient there is given, nothing is compared with the target, and 0 is returned.</summary>
    public double Chunk(float* w, in ChunkRows rows, int n, float* b, float* db, float scale, float stateNoise, float* dPrediction = null)
    {
        if (!_net.Iterative)
        {
            if (dPrediction is null) return Plain(rows.Y, n, b, db, scale);
            new ReadOnlySpan<float>(dPrediction, n * _c).CopyTo(new Span<float>(db, n * _c));
            return 0;
        }
        double loss = 0;
        for (int r = 0; r < n; r += Lanes)
            loss += Block(w, rows, r, Math.Min(Lanes, n - r), b, db, scale, stateNoise, dPrediction);
        return loss;
    }

    /// <summary>The prediction f(g̃_t, x, t) for <paramref name="n"/> rows with backbone outputs <paramref name="b"/> into
    /// <paramref name="prediction"/> (n×C), as <see cref="Chunk"/> computes it, without gradients (b itself for a plain network).</summary>
    public void Predict(float* w, in ChunkRows rows, int n, float* b, float stateNoise, float* prediction)
    {
        if (!_net.Iterative)
        {
            new ReadOnlySpan<float>(b, n * _c).CopyTo(new Span<float>(prediction, n * _c));
            return;
        }
        for (int r = 0; r < n; r += Lanes)
        {
            int count = Math.Min(Lanes, n - r);
            var gatePre = StateForward(w, rows, r, count, b, stateNoise);
            for (int j = 0; j < _c; j++)
            {
                Gate(gatePre[j], out var gate);
                _delta[j] = _multiplicative ? gate * _b[j] : gate + _b[j];
            }
            Scatter(_delta, _c, count, prediction + (long)r * _c);
        }
    }

    double Plain(float* y, int n, float* b, float* db, float scale)
    {
        int count = n * _c;
        float twoScale = 2 * scale;
        double loss = 0;
        for (int i = 0; i < count; i++)
        {
            float e = b[i] - y[i];
            loss += e * e;
            db[i] = twoScale * e;
        }
        return loss;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    double Block(float* w, in ChunkRows rows, int r, int count, float* b, float* db, float scale, float stateNoise, float* dPrediction)
    {
        int c = _c;
        var valid = Vector.LessThan(Iota(), new Vector<int>(count));
        var gatePre = StateForward(w, rows, r, count, b, stateNoise);
        if (dPrediction is not null) Gather(dPrediction + (long)r * c, c, count, _given);
        var twoScale = new Vector<float>(2 * scale);
        var loss = Vector<float>.Zero;
        // δ of the gate's pre-activation goes into _delta, dLoss/db (the direct part) into _dB.
        for (int j = 0; j < c; j++)
        {
            var slope = Gate(gatePre[j], out var gate);
            var bj = _b[j];
            Vector<float> dPred;
            if (dPrediction is not null)
                dPred = _given[j];
            else
            {
                var e = Vector.ConditionalSelect(valid, (_multiplicative ? gate * bj : gate + bj) - _y[j], Vector<float>.Zero);
                loss = Vector.FusedMultiplyAdd(e, e, loss);
                dPred = twoScale * e;
            }
            _delta[j] = (_multiplicative ? dPred * bj : dPred) * slope;
            _dB[j] = _multiplicative ? dPred * gate : dPred;
        }

        if (_fuseIn.Length > 0)
        {
            var dIn = Backward(w, _net.Fuse!, _fuseIn, _delta, inputGradient: true);
            for (int j = 0; j < c; j++) { _dB[j] += dIn![c + j]; _delta[j] = dIn[j]; }
        }
        if (_feedbackIn.Length > 0) Backward(w, _net.Feedback!, _feedbackIn, _delta, inputGradient: false);
        Scatter(_dB, c, count, db + (long)r * c);
        return Vector.Sum(loss);
    }

    // The heads' forward pass for rows r … r+count−1: gathers b and the target into _b and _y, fills the layers' inputs,
    // and returns the gate's pre-activation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Vector<float>[] StateForward(float* w, in ChunkRows rows, int r, int count, float* b, float stateNoise)
    {
        int c = _c, d = _d;
        Gather(b + (long)r * c, c, count, _b);
        Gather(rows.Y + (long)r * c, c, count, _y);
        var t = rows.TimePerRow ? GatherOne(rows.T + r, count) : new Vector<float>(*rows.T);

        // The training state g̃_t = I + t·(Z − I + ε·n) (I the target), then FeedbackNet's input [g, x, embed(t)].
        var firstIn = _feedbackIn.Length > 0 ? _feedbackIn[0] : _f;
        Gather(rows.Z + (long)r * c, c, count, firstIn);
        Gather(rows.Noise + (long)r * c, c, count, _dIn);
        var eps = new Vector<float>(stateNoise);
        for (int j = 0; j < c; j++)
            firstIn[j] = Vector.FusedMultiplyAdd(t, Vector.FusedMultiplyAdd(_dIn[j], eps, firstIn[j] - _y[j]), _y[j]);
        if (_feedbackIn.Length > 0)
        {
            var inner = firstIn.AsSpan(c);
            Gather(rows.X + (long)r * d, d, count, inner);
            Embed(t, inner[d..]);
            Forward(w, _net.Feedback!, _feedbackIn, _f);
        }

        // gate = FuseNet([f, b]) (or f), its activation, the fusion with b.
        var gatePre = _f;
        if (_fuseIn.Length > 0)
        {
            Array.Copy(_f, _fuseIn[0], c);
            Array.Copy(_b, 0, _fuseIn[0], c, c);
            Forward(w, _net.Fuse!, _fuseIn, _lastOut);
            gatePre = _lastOut;
        }
        return gatePre;
    }

    // Layers l: in_{l+1} = relu(W_l·in_l + b_l); the last writes into output (no activation).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Forward(float* w, FusedNetwork.Layer[] layers, Vector<float>[][] inputs, Vector<float>[] output)
    {
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            bool last = l == layers.Length - 1;
            var input = inputs[l];
            var into = last ? output : inputs[l + 1];
            if (input.Length < layer.In || into.Length < layer.Out) throw new ArgumentException("A head buffer is shorter than its layer.");
            int fan = layer.In, quads = fan & ~3;
            fixed (Vector<float>* x = input)
                for (int m = 0; m < layer.Out; m++)
                {
                    float* row = w + layer.Weight + m * fan;
                    var a = new Vector<float>(w[layer.Bias + m]);
                    int j = 0;
                    if (fan >= 8)
                    {
                        // Four chains: one would wait on the FMA latency at every input of a wide layer.
                        Vector<float> b = Vector<float>.Zero, c = b, d = b;
                        for (; j < quads; j += 4)
                        {
                            a = Vector.FusedMultiplyAdd(new Vector<float>(row[j]), x[j], a);
                            b = Vector.FusedMultiplyAdd(new Vector<float>(row[j + 1]), x[j + 1], b);
                            c = Vector.FusedMultiplyAdd(new Vector<float>(row[j + 2]), x[j + 2], c);
                            d = Vector.FusedMultiplyAdd(new Vector<float>(row[j + 3]), x[j + 3], d);
                        }
                        a = (a + b) + (c + d);
                    }
                    for (; j < fan; j++) a = Vector.FusedMultiplyAdd(new Vector<float>(row[j]), x[j], a);
                    into[m] = last ? a : Vector.MaxNative(a, Vector<float>.Zero);
                }
        }
    }

    // From δ at the last layer's output back to the first layer's input: accumulates the weight and bias
    // gradients per lane; returns the gradient at the first layer's input when asked (else null).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Vector<float>[]? Backward(float* w, FusedNetwork.Layer[] layers, Vector<float>[][] inputs, Vector<float>[] deltaOut, bool inputGradient)
    {
        var delta = deltaOut;
        var next = _deltaNext;
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var layer = layers[l];
            var input = inputs[l];
            int gw = layer.Weight - _headStart, gb = layer.Bias - _headStart;
            if (gw + layer.Out * layer.In > _grad.Length || gb + layer.Out > _grad.Length || input.Length < layer.In)
                throw new ArgumentException("A head gradient buffer is shorter than its layer.");
            fixed (Vector<float>* g = _grad, x = input)
                for (int m = 0; m < layer.Out; m++)
                {
                    var dm = delta[m];
                    g[gb + m] += dm;
                    Vector<float>* row = g + gw + m * layer.In;
                    for (int j = 0; j < layer.In; j++) row[j] = Vector.FusedMultiplyAdd(dm, x[j], row[j]);
                }
            if (l == 0 && !inputGradient) return null;
            var into = l == 0 ? _dIn : next;
            if (into.Length < layer.In) throw new ArgumentException("A head gradient buffer is shorter than its layer.");
            Array.Clear(into, 0, layer.In);
            fixed (Vector<float>* gi = into)
                for (int m = 0; m < layer.Out; m++)
                {
                    float* wr = w + layer.Weight + m * layer.In;
                    var dm = delta[m];
                    for (int j = 0; j < layer.In; j++) gi[j] = Vector.FusedMultiplyAdd(new Vector<float>(wr[j]), dm, gi[j]);
                }
            if (l == 0) return _dIn;
            // The input of layer l is relu of layer l−1's output: its gradient passes where it is positive.
            for (int j = 0; j < layer.In; j++) into[j] = Vector.ConditionalSelect(Vector.GreaterThan(input[j], Vector<float>.Zero), into[j], Vector<float>.Zero);
            (delta, next) = (into, delta);
        }
        return null;
    }

    // The gate's activation: returns its derivative, the value in gate.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Vector<float> Gate(Vector<float> x, out Vector<float> gate)
    {
        switch (_net.Gate)
        {
            case GateActivation.TwoSigmoid:
            {
                var s = Vector<float>.One / (Vector<float>.One + SimdMath.Exp(-x));
                gate = s + s;
                return (s + s) * (Vector<float>.One - s);
            }
            case GateActivation.OnePlusTanh:
            {
                var th = Vector<float>.One - new Vector<float>(2f) / (SimdMath.Exp(x + x) + Vector<float>.One);
                gate = Vector<float>.One + th;
                return Vector<float>.One - th * th;
            }
            default:
                gate = x;
                return Vector<float>.One;
        }
    }

    void Embed(Vector<float> t, Span<Vector<float>> into)
    {
        into[0] = t;
        if (_net.Embedding != TimeEmbedding.Fourier) return;
        for (int k = 0; k < 4; k++)
        {
            SimdMath.SinCos(t * new Vector<float>((float)(Math.PI * (1 << k))), out var s, out var co);
            into[1 + 2 * k] = s;
            into[2 + 2 * k] = co;
        }
    }

    static Vector<int> Iota()
    {
        Span<int> i = stackalloc int[Vector<int>.Count];
        for (int k = 0; k < i.Length; k++) i[k] = k;
        return new Vector<int>(i);
    }

    static Vector<float> GatherOne(float* src, int count)
    {
        if (count == Lanes) return Unsafe.ReadUnaligned<Vector<float>>(src);
        var v = Vector<float>.Zero;
        float* lane = (float*)&v;
        for (int l = 0; l < count; l++) lane[l] = src[l];
        return v;
    }

    // Column j of a count×cols block → vector j (row l in lane l); missing rows are zero.
    static void Gather(float* src, int cols, int count, Span<Vector<float>> into)
    {
        if (into.Length < cols || count > Lanes) throw new ArgumentException("The gather buffer is shorter than the block.");
        fixed (Vector<float>* pi = into)
        {
            float* dst = (float*)pi;
            for (int j = 0; j < cols; j++)
            {
                float* lane = dst + (long)j * Lanes;
                for (int l = 0; l < count; l++) lane[l] = src[(long)l * cols + j];
                for (int l = count; l < Lanes; l++) lane[l] = 0;
            }
        }
    }

    static void Scatter(Vector<float>[] from, int cols, int count, float* dst)
    {
        for (int l = 0; l < count; l++)
            for (int j = 0; j < cols; j++) dst[(long)l * cols + j] = from[j][l];
    }
}
