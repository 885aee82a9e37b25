using System.Numerics;
using System.Runtime.CompilerServices;

namespace IINR.Trainers.Fused;

/// <summary>
/// sin, cos and exp of float vectors, accurate to a few ulp over the range activations reach
/// (|x| up to ~10⁵ for the sines). Cephes' minimax polynomials after a three-part Cody–Waite
/// reduction; the quadrant comes from the rounding itself. Several times faster than the
/// general-purpose vector functions because they handle no huge arguments, NaN payloads or
/// denormal outputs specially.
/// </summary>
internal static class SimdMath
{
    // 1.5·2²³: adding it rounds a float below 2²² to an integer, which then sits in the low mantissa bits.
    const float RoundMagic = 12582912f;
    const float TwoOverPi = 0.636619772367581343f;
    // π/2 = PiA + PiB + PiC, the first two exact in few bits, so j·PiA and j·PiB are exact.
    const float PiA = 1.5703125f, PiB = 4.837512969970703125e-4f, PiC = 7.549789948768648e-8f;
    const float S1 = -1.6666654611e-1f, S2 = 8.3321608736e-3f, S3 = -1.9515295891e-4f;
    const float C1 = 4.166664568298827e-2f, C2 = -1.388731625493765e-3f, C3 = 2.443315711809948e-5f;

    /// <summary>sin x and cos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SinCos(Vector<float> x, out Vector<float> sin, out Vector<float> cos)
    {
        var q = Reduce(x, out var s, out var c);
        // Quadrant j mod 4: sin x = s, c, −s, −c; cos x = c, −s, −c, s.
        var swap = Vector.Equals(q & Vector<int>.One, Vector<int>.One);
        var sinSign = (q & new Vector<int>(2)) << 30;
        var cosSign = ((q + Vector<int>.One) & new Vector<int>(2)) << 30;
        sin = Vector.AsVectorSingle(Vector.AsVectorInt32(Vector.ConditionalSelect(swap, c, s)) ^ sinSign);
        cos = Vector.AsVectorSingle(Vector.AsVectorInt32(Vector.ConditionalSelect(swap, s, c)) ^ cosSign);
    }

    /// <summary>sin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sin(Vector<float> x)
    {
        var q = Reduce(x, out var s, out var c);
        var swap = Vector.Equals(q & Vector<int>.One, Vector<int>.One);
        var sign = (q & new Vector<int>(2)) << 30;
        return Vector.AsVectorSingle(Vector.AsVectorInt32(Vector.ConditionalSelect(swap, c, s)) ^ sign);
    }

    // x = j·π/2 + r with |r| ≤ π/4: returns the bits holding j (j mod 4 in the low two), sin r and cos r.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<int> Reduce(Vector<float> x, out Vector<float> sin, out Vector<float> cos)
    {
        var shifted = Vector.FusedMultiplyAdd(x, new Vector<float>(TwoOverPi), new Vector<float>(RoundMagic));
        var j = shifted - new Vector<float>(RoundMagic);
        var r = Vector.FusedMultiplyAdd(j, new Vector<float>(-PiA), x);
        r = Vector.FusedMultiplyAdd(j, new Vector<float>(-PiB), r);
        r = Vector.FusedMultiplyAdd(j, new Vector<float>(-PiC), r);
        var r2 = r * r;
        var ps = Vector.FusedMultiplyAdd(Vector.FusedMultiplyAdd(new Vector<float>(S3), r2, new Vector<float>(S2)), r2, new Vector<float>(S1));
        sin = Vector.FusedMultiplyAdd(ps * r2, r, r);
        var pc = Vector.FusedMultiplyAdd(Vector.FusedMultiplyAdd(new Vector<float>(C3), r2, new Vector<float>(C2)), r2, new Vector<float>(C1));
        cos = Vector.FusedMultiplyAdd(pc * r2, r2, Vector.FusedMultiplyAdd(r2, new Vector<float>(-0.5f), Vector<float>.One));
        return Vector.AsVectorInt32(shifted);
    }

    const float Log2E = 1.44269504088896341f;
    const float Ln2A = 0.693359375f, Ln2B = -2.12194440e-4f;
    const float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /// <summary>eˣ; 0 below −87, e⁸⁸ above 88.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var tooSmall = Vector.LessThan(x, new Vector<float>(-87f));
        x = Vector.Min(Vector.Max(x, new Vector<float>(-87f)), new Vector<float>(88f));
        var shifted = Vector.FusedMultiplyAdd(x, new Vector<float>(Log2E), new Vector<float>(RoundMagic));
        var n = shifted - new Vector<float>(RoundMagic);
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2A), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(-Ln2B), r);
        var p = Vector.FusedMultiplyAdd(new Vector<float>(E0), r, new Vector<float>(E1));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(E2));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(E3));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(E4));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(E5));
        var e = Vector.FusedMultiplyAdd(p * r, r, r) + Vector<float>.One;
        // × 2ⁿ by adding n to the exponent bits.
        var scaled = Vector.AsVectorSingle(Vector.AsVectorInt32(e) + (Vector.ConvertToInt32(n) << 23));
        return Vector.ConditionalSelect(tooSmall, Vector<float>.Zero, scaled);
    }
}
