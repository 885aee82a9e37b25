using System.Numerics;
using System.Runtime.CompilerServices;

namespace IINR.Trainers.Fused;

/// <summary>
/// The backbone's forward and backward pass over one chunk of rows, on one thread, in buffers
/// allocated once. Each layer is one MKL product followed by one pass that adds the bias and
/// computes the activation and its derivative together (kept for the backward pass); backward,
/// each layer is two products (weight gradient, input gradient) and one pass that multiplies by
/// the stored derivative and sums the bias gradient. WIRE's complex layers take complex products
/// (<see cref="MklBlas.ComplexGemm"/>) and keep the pre-activation and the activation instead of a
/// derivative (see <see cref="ForwardGabor"/>).
/// </summary>
internal sealed unsafe class BackboneKernel : IDisposable
{
    static readonly int Lanes = Vector<float>.Count;

    readonly FusedNetwork _net;
    readonly int _rows;
    readonly NativeFloats? _encoding;          // Fourier features: rows × 2m
    readonly NativeFloats[] _values, _slopes;  // per activated layer: rows × width
    readonly NativeFloats _output, _gradA, _gradB, _columnSums;

    public BackboneKernel(FusedNetwork net, int rows)
    {
        _net = net;
        _rows = rows;
        int activated = net.Backbone.Length - 1;
        _values = new NativeFloats[activated];
        _slopes = new NativeFloats[activated];
        bool gabor = net.Act == FusedNetwork.Activation.Gabor;
        for (int i = 0; i < activated; i++)
        {
            // WIRE: the activations are complex; the kept pre-activation is real after the first (real) layer, complex after the others.
            _values[i] = new NativeFloats((long)rows * net.Backbone[i].Out * (gabor ? 2 : 1), zeroed: false);
            _slopes[i] = new NativeFloats((long)rows * net.Backbone[i].Out * net.Backbone[i].Floats, zeroed: false);
        }
        // Every value is written before it is read: nothing to zero.
        if (net.Frequencies is not null) _encoding = new NativeFloats((long)rows * 2 * net.FeatureCount, zeroed: false);
        _output = new NativeFloats((long)rows * net.Channels, zeroed: false);
        _gradA = new NativeFloats((long)rows * net.MaxWidth, zeroed: false);
        _gradB = new NativeFloats((long)rows * net.MaxWidth, zeroed: false);
        _columnSums = new NativeFloats(net.MaxWidth + Lanes);
    }

    /// <summary>Rows × C backbone outputs of the last <see cref="Forward"/>.</summary>
    public float* Output => _output.Pointer;

    /// <summary>b = Backbone(x) for <paramref name="n"/> rows of x (n×D) with the weights in <paramref name="w"/>;
    /// with <paramref name="keepSlopes"/> the activations' derivatives are kept for <see cref="Backward"/>.</summary>
    public void Forward(float* w, float* x, int n, bool keepSlopes)
    {
        if (n > _rows) throw new ArgumentOutOfRangeException(nameof(n), n, $"At most {_rows} rows per chunk.");
        if (_net.Act == FusedNetwork.Activation.Gabor)
        {
            ForwardGabor(w, x, n);
            return;
        }
        var layers = _net.Backbone;
        float* input = x;
        if (_encoding is not null)
        {
            Encode(x, n);
            input = _encoding.Pointer;
        }
        var invOmega = new Vector<float>(_net.InverseOmega);
        for (int i = 0; i < layers.Length; i++)
        {
            var l = layers[i];
            bool last = i == layers.Length - 1;
            float* z = last ? _output.Pointer : _slopes[i].Pointer;
            MklBlas.Gemm(false, true, n, l.Out, l.In, input, l.In, w + l.Weight, l.In, 0f, z, l.Out);
            if (last)
            {
                AddBias(z, w + l.Bias, n, l.Out);
                break;
            }
            float* h = _values[i].Pointer;
            switch (_net.Act)
            {
                case FusedNetwork.Activation.Sine: Activate<SineActivation>(z, h, w + l.Bias, n, l.Out, invOmega, keepSlopes); break;
                case FusedNetwork.Activation.Finer: Activate<FinerActivation>(z, h, w + l.Bias, n, l.Out, invOmega, keepSlopes); break;
                case FusedNetwork.Activation.Gauss: Activate<GaussActivation>(z, h, w + l.Bias, n, l.Out, invOmega, keepSlopes); break;
                default: Activate<ReluActivation>(z, h, w + l.Bias, n, l.Out, invOmega, keepSlopes); break;
            }
            input = h;
        }
    }

    /// <summary>Back-propagates <paramref name="outputGradient"/> (n×C, overwritten) through the last <see cref="Forward"/>
    /// (which kept its slopes), writing (<paramref name="first"/>) or adding the weight and bias gradients at their offsets in <paramref name="grad"/>.</summary>
    public void Backward(float* w, float* x, float* outputGradient, int n, float* grad, bool first)
    {
        if (_net.Act == FusedNetwork.Activation.Gabor)
        {
            BackwardGabor(w, x, outputGradient, n, grad, first);
            return;
        }
        var layers = _net.Backbone;
        float* delta = outputGradient;
        ColumnSums(delta, n, layers[^1].Out);
        float* spare = _gradA.Pointer;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            var l = layers[i];
            StoreColumnSums(grad + l.Bias, l.Out, first);
            float* input = i > 0 ? _values[i - 1].Pointer : _encoding is not null ? _encoding.Pointer : x;
            // dW (Out×In) = δᵀ·input, summed over the rows of the chunk and, after the first chunk, onto the slot's sum.
            MklBlas.Gemm(true, false, l.Out, l.In, n, delta, l.Out, input, l.In, first ? 0f : 1f, grad + l.Weight, l.In);
            if (i == 0) break;
            // δ_prev = (δ·W) ⊙ σ'(z_prev)
            MklBlas.Gemm(false, false, n, l.In, l.Out, delta, l.Out, w + l.Weight, l.In, 0f, spare, l.In);
            MultiplyAndSumColumns(spare, _slopes[i - 1].Pointer, n, l.In);
            delta = spare;
            spare = spare == _gradA.Pointer ? _gradB.Pointer : _gradA.Pointer;
        }
    }

    // WIRE: u = exp(iω0·y − |s0·y|²) = E·(cos ω0·a + i·sin ω0·a) with E = exp(−ω0·b − s0²(a² + b²)) for y = a + ib (b = 0 after
    // the first, real layer). Forward keeps y and u. The gradients of complex values travel conjugated, H = ∂L/∂a − i·∂L/∂b
    // (PyTorch's gradient is ∂L/∂a + i·∂L/∂b): then every product of the backward pass is the real case's, with no
    // conjugated operand, and only the weight and bias gradients are conjugated once, on the way into the gradient buffer.
    void ForwardGabor(float* w, float* x, int n)
    {
        var layers = _net.Backbone;
        float* input = x;
        for (int i = 0; i < layers.Length; i++)
        {
            var l = layers[i];
            if (i == layers.Length - 1)
            {
                // The output is the real part of the last complex layer.
                float* z = _gradA.Pointer;
                MklBlas.ComplexGemm(false, true, n, l.Out, l.In, input, l.In, w + l.Weight, l.In, 0f, z, l.Out);
                float* output = _output.Pointer, bias = w + l.Bias;
                for (long r = 0; r < n; r++)
                    for (int j = 0; j < l.Out; j++) output[r * l.Out + j] = z[2 * (r * l.Out + j)] + bias[2 * j];
                break;
            }
            float* y = _slopes[i].Pointer, u = _values[i].Pointer;
            if (l.Complex) MklBlas.ComplexGemm(false, true, n, l.Out, l.In, input, l.In, w + l.Weight, l.In, 0f, y, l.Out);
            else MklBlas.Gemm(false, true, n, l.Out, l.In, input, l.In, w + l.Weight, l.In, 0f, y, l.Out);
            GaborForward(y, u, w + l.Bias, n, l.Out, l.Complex);
            input = u;
        }
    }

    void BackwardGabor(float* w, float* x, float* outputGradient, int n, float* grad, bool first)
    {
        var layers = _net.Backbone;
        var last = layers[^1];
        float* u = _values[^1].Pointer;
        float* sums = _columnSums.Pointer;
        // Last layer, out = Re(u·Wᵀ + b) for a real gradient g: H_b = Σg, H_W = gᵀ·u, H_u = g·W, with u and W read as real
        // matrices of interleaved pairs (the imaginary part of H_b is 0).
        ColumnSums(outputGradient, n, last.Out);
        for (int j = last.Out - 1; j >= 0; j--) { sums[2 * j] = sums[j]; sums[2 * j + 1] = 0; }
        StoreColumnSums(grad + last.Bias, 2 * last.Out, first);
        if (!first) Conjugate(grad + last.Weight, last.WeightLength);
        MklBlas.Gemm(true, false, last.Out, 2 * last.In, n, outputGradient, last.Out, u, 2 * last.In, first ? 0f : 1f, grad + last.Weight, 2 * last.In);
        Conjugate(grad + last.Weight, last.WeightLength);
        float* h = _gradA.Pointer, spare = _gradB.Pointer;
        MklBlas.Gemm(false, false, n, 2 * last.In, last.Out, outputGradient, last.Out, w + last.Weight, 2 * last.In, 0f, h, 2 * last.In);
        for (int i = layers.Length - 2; i >= 0; i--)
        {
            var l = layers[i];
            // H_y from H_u, into the spare buffer; the bias gradient is its column sums (conjugated).
            GaborBackward(h, _slopes[i].Pointer, _values[i].Pointer, spare, n, l.Out, l.Complex);
            Swap(ref h, ref spare);
            ColumnSums(h, n, l.BiasLength);
            if (l.Complex) for (int j = 1; j < 2 * l.Out; j += 2) sums[j] = -sums[j];
            StoreColumnSums(grad + l.Bias, l.BiasLength, first);
            float* input = i > 0 ? _values[i - 1].Pointer : x;
            if (!l.Complex)
            {
                MklBlas.Gemm(true, false, l.Out, l.In, n, h, l.Out, input, l.In, first ? 0f : 1f, grad + l.Weight, l.In);
                break;
            }
            if (!first) Conjugate(grad + l.Weight, l.WeightLength);
            MklBlas.ComplexGemm(true, false, l.Out, l.In, n, h, l.Out, input, l.In, first ? 0f : 1f, grad + l.Weight, l.In);
            Conjugate(grad + l.Weight, l.WeightLength);
            // H_u of the layer below = H_y·W.
            MklBlas.ComplexGemm(false, false, n, l.In, l.Out, h, l.Out, w + l.Weight, l.In, 0f, spare, l.In);
            Swap(ref h, ref spare);
        }
    }

    static void Swap(ref float* a, ref float* b)
    {
        float* t = a;
        a = b;
        b = t;
    }

    // Conjugates interleaved pairs in place. A weight gradient's running sum is conjugated before and after a product adds
    // to it, so that the conjugated product (H_W) lands as PyTorch's gradient.
    static void Conjugate(float* pairs, int length)
    {
        for (int i = 1; i < length; i += 2) pairs[i] = -pairs[i];
    }

    // y ← z + b (kept), u = Gabor(y), over n rows of `width` units; y and b complex when `complex`, else real.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void GaborForward(float* y, float* u, float* bias, int n, int width, bool complex)
    {
        var omega = new Vector<float>(_net.GaborOmega);
        var negS2 = new Vector<float>(-_net.GaborScaleSquared);
        Span<float> re = stackalloc float[Lanes], im = stackalloc float[Lanes];
        for (long r = 0; r < n; r++)
        {
            float* yr = y + r * width * (complex ? 2 : 1), ur = u + r * width * 2;
            for (int j = 0; j < width; j += Lanes)
            {
                int count = Math.Min(Lanes, width - j);
                re.Clear(); im.Clear();
                for (int k = 0; k < count; k++)
                {
                    if (complex)
                    {
                        re[k] = yr[2 * (j + k)] += bias[2 * (j + k)];
                        im[k] = yr[2 * (j + k) + 1] += bias[2 * (j + k) + 1];
                    }
                    else re[k] = yr[j + k] += bias[j + k];
                }
                var a = new Vector<float>(re);
                var b = new Vector<float>(im);
                // ln E = −ω0·b − s0²(a² + b²)
                var envelope = SimdMath.Exp(Vector.FusedMultiplyAdd(negS2, a * a + b * b, -(omega * b)));
                SimdMath.SinCos(omega * a, out var sin, out var cos);
                (envelope * cos).CopyTo(re);
                (envelope * sin).CopyTo(im);
                for (int k = 0; k < count; k++)
                {
                    ur[2 * (j + k)] = re[k];
                    ur[2 * (j + k) + 1] = im[k];
                }
            }
        }
    }

    // H_y from H_u (both conjugated gradients; H_y real when the layer is real): with gr + i·gi = conj(H_u),
    // P = gr·Re u + gi·Im u and Q = gi·Re u − gr·Im u, ∂L/∂a = −2s0²·a·P + ω0·Q and ∂L/∂b = −(ω0 + 2s0²·b)·P.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void GaborBackward(float* hu, float* y, float* u, float* hy, int n, int width, bool complex)
    {
        var omega = new Vector<float>(_net.GaborOmega);
        var twoS2 = new Vector<float>(2 * _net.GaborScaleSquared);
        Span<float> gr = stackalloc float[Lanes], gi = stackalloc float[Lanes], ur = stackalloc float[Lanes], ui = stackalloc float[Lanes],
            ya = stackalloc float[Lanes], yb = stackalloc float[Lanes];
        int yStride = complex ? 2 : 1;
        for (long r = 0; r < n; r++)
        {
            float* hur = hu + r * width * 2, yr = y + r * width * yStride, uRow = u + r * width * 2, hyr = hy + r * width * yStride;
            for (int j = 0; j < width; j += Lanes)
            {
                int count = Math.Min(Lanes, width - j);
                gr.Clear(); gi.Clear(); ur.Clear(); ui.Clear(); ya.Clear(); yb.Clear();
                for (int k = 0; k < count; k++)
                {
                    int c = 2 * (j + k);
                    gr[k] = hur[c]; gi[k] = -hur[c + 1];
                    ur[k] = uRow[c]; ui[k] = uRow[c + 1];
                    if (complex) { ya[k] = yr[c]; yb[k] = yr[c + 1]; }
                    else ya[k] = yr[j + k];
                }
                var vgr = new Vector<float>(gr); var vgi = new Vector<float>(gi);
                var vur = new Vector<float>(ur); var vui = new Vector<float>(ui);
                var p = vgr * vur + vgi * vui;
                var q = vgi * vur - vgr * vui;
                var da = Vector.FusedMultiplyAdd(omega, q, -(twoS2 * new Vector<float>(ya) * p));
                da.CopyTo(gr);
                if (complex)
                {
                    // −∂L/∂b, the conjugated gradient's imaginary part.
                    var negDb = Vector.FusedMultiplyAdd(twoS2, new Vector<float>(yb), omega) * p;
                    negDb.CopyTo(gi);
                    for (int k = 0; k < count; k++) { hyr[2 * (j + k)] = gr[k]; hyr[2 * (j + k) + 1] = gi[k]; }
                }
                else for (int k = 0; k < count; k++) hyr[j + k] = gr[k];
            }
        }
    }

    // γ(x) = [sin 2πBx, cos 2πBx]: one product for 2πBx, one pass for both halves.
    void Encode(float* x, int n)
    {
        int m = _net.FeatureCount;
        float* p = _gradA.Pointer;
        fixed (float* b = _net.Frequencies)
            MklBlas.Gemm(false, false, n, m, _net.Dims, x, _net.Dims, b, m, 0f, p, m);
        float* e = _encoding!.Pointer;
        for (int r = 0; r < n; r++)
        {
            float* pr = p + (long)r * m, er = e + (long)r * 2 * m;
            int j = 0;
            for (; j + Lanes <= m; j += Lanes)
            {
                SimdMath.SinCos(Load(pr + j), out var s, out var c);
                Store(er + j, s);
                Store(er + m + j, c);
            }
            for (; j < m; j++)
            {
                (er[j], er[m + j]) = MathF.SinCos(pr[j]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Activate<TAct>(float* z, float* h, float* bias, int n, int width, Vector<float> invOmega, bool keepSlopes) where TAct : IActivation
    {
        Span<float> tail = stackalloc float[Lanes];
        for (int r = 0; r < n; r++)
        {
            float* zr = z + (long)r * width, hr = h + (long)r * width;
            int j = 0;
            for (; j + Lanes <= width; j += Lanes)
            {
                var y = Load(zr + j) + Load(bias + j);
                if (keepSlopes)
                {
                    Store(hr + j, TAct.ValueAndDerivative(y, invOmega, out var d));
                    Store(zr + j, d);
                }
                else Store(hr + j, TAct.Value(y, invOmega));
            }
            if (j == width) continue;
            // The last few columns through the same vector code, via a padded copy.
            int rest = width - j;
            tail.Clear();
            for (int k = 0; k < rest; k++) tail[k] = zr[j + k] + bias[j + k];
            var v = TAct.ValueAndDerivative(new Vector<float>(tail), invOmega, out var dv);
            for (int k = 0; k < rest; k++)
            {
                hr[j + k] = v[k];
                if (keepSlopes) zr[j + k] = dv[k];
            }
        }
    }

    static void AddBias(float* z, float* bias, int n, int width)
    {
        for (int r = 0; r < n; r++)
        {
            float* zr = z + (long)r * width;
            for (int j = 0; j < width; j++) zr[j] += bias[j];
        }
    }

    // g ← g ⊙ s, and the column sums of the product (the bias gradient).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void MultiplyAndSumColumns(float* g, float* s, int n, int width)
    {
        float* sums = _columnSums.Pointer;
        new Span<float>(sums, width).Clear();
        for (int r = 0; r < n; r++)
        {
            float* gr = g + (long)r * width, sr = s + (long)r * width;
            int j = 0;
            for (; j + Lanes <= width; j += Lanes)
            {
                var v = Load(gr + j) * Load(sr + j);
                Store(gr + j, v);
                Store(sums + j, Load(sums + j) + v);
            }
            for (; j < width; j++)
            {
                float v = gr[j] * sr[j];
                gr[j] = v;
                sums[j] += v;
            }
        }
    }

    void ColumnSums(float* g, int n, int width)
    {
        float* sums = _columnSums.Pointer;
        new Span<float>(sums, width).Clear();
        for (int r = 0; r < n; r++)
            for (int j = 0; j < width; j++) sums[j] += g[(long)r * width + j];
    }

    void StoreColumnSums(float* into, int width, bool first)
    {
        float* sums = _columnSums.Pointer;
        if (first) new ReadOnlySpan<float>(sums, width).CopyTo(new Span<float>(into, width));
        else for (int j = 0; j < width; j++) into[j] += sums[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<float> Load(float* p) => Unsafe.ReadUnaligned<Vector<float>>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* p, Vector<float> v) => Unsafe.WriteUnaligned(p, v);

    public void Dispose()
    {
        foreach (var b in _values) b.Dispose();
        foreach (var b in _slopes) b.Dispose();
        _encoding?.Dispose();
        _output.Dispose(); _gradA.Dispose(); _gradB.Dispose(); _columnSums.Dispose();
    }
}
