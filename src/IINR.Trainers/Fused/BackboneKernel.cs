using System.Numerics;
using System.Runtime.CompilerServices;

namespace IINR.Trainers.Fused;

/// <summary>
/// The backbone's forward and backward pass over one chunk of rows, on one thread, in buffers
/// allocated once. Each layer is one MKL product followed by one pass that adds the bias and
/// computes the activation and its derivative together (kept for the backward pass); backward,
/// each layer is two products (weight gradient, input gradient) and one pass that multiplies by
/// the stored derivative and sums the bias gradient.
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
        for (int i = 0; i < activated; i++)
        {
            _values[i] = new NativeFloats((long)rows * net.Backbone[i].Out, zeroed: false);
            _slopes[i] = new NativeFloats((long)rows * net.Backbone[i].Out, zeroed: false);
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
