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
        // every libtorch thread without changing a single value: the transcendentals cost ~45 ns a value.
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

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static void FillRows(ReadOnlySpan<float> coordinates, int start, int end, int dims, int channels, ulong seedHash, Span<float> destination)
    {
        for (int i = start; i < end; i++)
        {
            ulong h = seedHash;
            for (int d = 0; d < dims; d++)
            {
                float v = coordinates[i * dims + d];
                if (v == 0f) v = 0f; // −0 and +0 are the same coordinate
                h = Mix(h ^ (uint)BitConverter.SingleToInt32Bits(v) ^ ((ulong)d << 32));
            }
            for (int c = 0; c < channels; c++)
            {
                ulong r = Mix(h + 0xD1B54A32D192ED03UL * (ulong)(c + 1));
                // Box–Muller from two 24-bit uniforms in (0, 1].
                double u1 = ((r >> 40) + 1) * (1.0 / 16777216.0);
                double u2 = ((r >> 16) & 0xFFFFFF) * (1.0 / 16777216.0);
                destination[i * channels + c] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }
    }

    // SplitMix64 finaliser: a full-avalanche 64-bit mix.
    static ulong Mix(ulong x)
    {
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27; x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
