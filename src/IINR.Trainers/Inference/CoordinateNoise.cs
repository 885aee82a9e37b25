using System.Numerics;

namespace IINR.Trainers;

/// <summary>
/// The start state Z as a deterministic function of (seed, coordinate, channel): standard normal
/// values from a hash of the coordinate's float bits. The same coordinate always gets the same Z,
/// in training and at inference, on any grid and any device, so outputs are reproducible and a
/// fixed Z needs no storage.
/// </summary>
public static class CoordinateNoise
{
    /// <summary>Z for <paramref name="count"/> coordinates of <paramref name="dims"/> values each, C channels, row-major N×C.</summary>
    public static float[] Sample(ReadOnlySpan<float> coordinates, int count, int dims, int channels, int seed, NoiseDistribution distribution)
    {
        var z = new float[checked(count * channels)];
        Fill(coordinates, count, dims, channels, seed, distribution, z);
        return z;
    }

    /// <summary>Writes Z into <paramref name="destination"/> (N×C).</summary>
    public static void Fill(ReadOnlySpan<float> coordinates, int count, int dims, int channels, int seed, NoiseDistribution distribution, Span<float> destination)
    {
        if (distribution == NoiseDistribution.Zeros) { destination[..(count * channels)].Clear(); return; }
        if (distribution == NoiseDistribution.Ones) { destination[..(count * channels)].Fill(1f); return; }
        ulong seedHash = Mix(0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed);
        if (coordinates.Length < (long)count * dims || destination.Length < (long)count * channels)
            throw new ArgumentException($"{count} rows need {(long)count * dims} coordinates and room for {(long)count * channels} values.");
        // Rows are independent (a pure function of the coordinate), so blocks of rows can run on
        // every libtorch thread without changing a single value.
        const int block = 4096;
        int threads = count >= 2 * block ? TorchRuntime.Threads : 1;
        if (threads == 1) { FillRows(coordinates, 0, count, dims, channels, seedHash, destination); return; }
        unsafe
        {
            fixed (float* pc = coordinates, pd = destination)
            {
                nint ac = (nint)pc, ad = (nint)pd;
                long cl = coordinates.Length, dl = destination.Length;
                Parallel.For(0, (count + block - 1) / block, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
                {
                    int start = b * block, end = Math.Min(count, start + block);
                    FillRows(new ReadOnlySpan<float>((void*)ac, (int)cl), start, end, dims, channels, seedHash, new Span<float>((void*)ad, (int)dl));
                });
            }
        }
    }

    /// <summary>Values per block of <see cref="FillRows"/>: the hashes of a block are written to the stack, then turned into
    /// normal values a SIMD vector at a time.</summary>
    const int BlockValues = 1024;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void FillRows(ReadOnlySpan<float> coordinates, int start, int end, int dims, int channels, ulong seedHash, Span<float> destination)
    {
        int lanes = Vector<long>.Count;
        int rowsPerBlock = Math.Max(1, BlockValues / channels), capacity = rowsPerBlock * channels + lanes;
        Span<long> radius = capacity <= 2 * BlockValues ? stackalloc long[capacity] : new long[capacity];
        Span<long> angle = capacity <= 2 * BlockValues ? stackalloc long[capacity] : new long[capacity];
        for (int i0 = start; i0 < end; i0 += rowsPerBlock)
        {
            int i1 = Math.Min(end, i0 + rowsPerBlock), v = 0;
            for (int i = i0; i < i1; i++)
            {
                ulong h = seedHash;
                for (int d = 0; d < dims; d++)
                {
                    float x = coordinates[i * dims + d];
                    if (x == 0f) x = 0f; // −0 and +0 are the same coordinate
                    h = Mix(h ^ (uint)BitConverter.SingleToInt32Bits(x) ^ ((ulong)d << 32));
                }
                for (int c = 0; c < channels; c++, v++)
                {
                    ulong r = Mix(h + 0xD1B54A32D192ED03UL * (ulong)(c + 1));
                    // Box–Muller from two 24-bit uniforms: u1 = radius / 2²⁴ in (0, 1], u2 = angle / 2²⁴ in [0, 1).
                    radius[v] = (long)(r >> 40) + 1;
                    angle[v] = (long)((r >> 16) & 0xFFFFFF);
                }
            }
            int count = v;
            for (; v % lanes != 0; v++) { radius[v] = 1; angle[v] = 0; } // padding: valid, never stored
            var into = destination.Slice(i0 * channels, count);
            for (int k = 0; k < count; k += 2 * lanes)
            {
                // Two vectors of doubles narrow to one of floats; the padding covers the second when count ends earlier.
                var z0 = BoxMuller(new Vector<long>(radius[k..]), new Vector<long>(angle[k..]));
                var z1 = k + lanes < v ? BoxMuller(new Vector<long>(radius[(k + lanes)..]), new Vector<long>(angle[(k + lanes)..])) : Vector<double>.Zero;
                var z = Vector.Narrow(z0, z1);
                int n = Math.Min(2 * lanes, count - k);
                if (n == 2 * lanes) z.CopyTo(into[k..]);
                else for (int l = 0; l < n; l++) into[k + l] = z[l];
            }
        }
    }

    // √(−2 ln u1)·cos(2π u2) in double precision, to within a few units in the last place of a double, so that the
    // float it is rounded to is the one Math.Log and Math.Cos give. Elementwise with fused multiply-adds only, so the
    // result does not depend on the vector width.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static Vector<double> BoxMuller(Vector<long> radius, Vector<long> angle)
    {
        // ln u1 = e·ln 2 + ln m with m in [√½, √2), ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.1716 (fdlibm's form).
        var u1 = Vector.ConvertToDouble(radius) * new Vector<double>(1.0 / 16777216.0);
        var bits = Vector.AsVectorInt64(u1);
        var e = Vector.ShiftRightLogical(bits, 52) - new Vector<long>(1023);
        var m = Vector.AsVectorDouble((bits & new Vector<long>(0x000FFFFFFFFFFFFFL)) | new Vector<long>(0x3FF0000000000000L));
        var big = Vector.GreaterThan(m, new Vector<double>(Math.Sqrt(2)));
        m = Vector.ConditionalSelect(big, m * new Vector<double>(0.5), m);
        e -= big; // true is −1
        var f = m - Vector<double>.One;
        var s = f / (new Vector<double>(2) + f);
        var z = s * s;
        // Σ 2/(2k + 1)·z^(k−1) for k = 1..10; the next term is below 10⁻¹⁸.
        var p = Step(Step(Step(Step(Step(Step(Step(Step(Step(new Vector<double>(2.0 / 21), z, 2.0 / 19), z, 2.0 / 17), z, 2.0 / 15),
            z, 2.0 / 13), z, 2.0 / 11), z, 2.0 / 9), z, 2.0 / 7), z, 2.0 / 5), z, 2.0 / 3);
        var halfSquare = new Vector<double>(0.5) * f * f;
        var lnM = f - (halfSquare - s * (halfSquare + z * p));
        var lnU1 = Vector.FusedMultiplyAdd(Vector.ConvertToDouble(e), new Vector<double>(Math.Log(2)), lnM);
        var rho = Vector.SquareRoot(new Vector<double>(-2) * lnU1);

        // cos 2π u2: the nearest quarter turn q in integers, then |x| ≤ π/4 for the series.
        var quarter = Vector.ShiftRightArithmetic(angle + new Vector<long>(1 << 21), 22);
        var x = Vector.ConvertToDouble(angle - (quarter << 22)) * new Vector<double>(Math.PI / 8388608.0);
        var x2 = x * x;
        // Taylor series of cos x and sin x / x in x² to x¹⁸ and x¹⁶: at |x| ≤ π/4 the next terms are below 10⁻¹⁸.
        var cos = Step(Step(Step(Step(Step(Step(Step(Step(Step(new Vector<double>(-1.0 / 6402373705728000), x2, 1.0 / 20922789888000),
            x2, -1.0 / 87178291200), x2, 1.0 / 479001600), x2, -1.0 / 3628800), x2, 1.0 / 40320), x2, -1.0 / 720), x2, 1.0 / 24),
            x2, -1.0 / 2), x2, 1);
        var sin = x * Step(Step(Step(Step(Step(Step(Step(Step(new Vector<double>(1.0 / 355687428096000), x2, -1.0 / 1307674368000),
            x2, 1.0 / 6227020800), x2, -1.0 / 39916800), x2, 1.0 / 362880), x2, -1.0 / 5040), x2, 1.0 / 120), x2, -1.0 / 6), x2, 1);
        // Quarter q mod 4: cos(x + qπ/2) = cos x, −sin x, −cos x, sin x.
        var odd = Vector.Equals(quarter & Vector<long>.One, Vector<long>.One);
        var negate = Vector.Equals((quarter + Vector<long>.One) & new Vector<long>(2), new Vector<long>(2));
        var value = Vector.ConditionalSelect(odd, sin, cos);
        value = Vector.ConditionalSelect(negate, -value, value);
        return rho * value;
    }

    // One step of Horner's rule: r·y + c, fused.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static Vector<double> Step(Vector<double> r, Vector<double> y, double c) => Vector.FusedMultiplyAdd(r, y, new Vector<double>(c));

    /// <summary>The scalar definition of Z (Math.Log and Math.Cos), which <see cref="Fill"/> reproduces but for a rare last bit; for tests.</summary>
    internal static float Reference(ReadOnlySpan<float> coordinate, int channel, int seed)
    {
        ulong h = Mix(0x9E3779B97F4A7C15UL ^ (ulong)(uint)seed);
        for (int d = 0; d < coordinate.Length; d++)
        {
            float v = coordinate[d];
            if (v == 0f) v = 0f;
            h = Mix(h ^ (uint)BitConverter.SingleToInt32Bits(v) ^ ((ulong)d << 32));
        }
        ulong r = Mix(h + 0xD1B54A32D192ED03UL * (ulong)(channel + 1));
        double u1 = ((r >> 40) + 1) * (1.0 / 16777216.0);
        double u2 = ((r >> 16) & 0xFFFFFF) * (1.0 / 16777216.0);
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    // SplitMix64 finaliser: a full-avalanche 64-bit mix.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
