namespace IINR.Trainers.Fused;

/// <summary>
/// Alg. 2 on the CPU without libtorch's operators: per chunk of rows the backbone runs in
/// <see cref="BackboneKernel"/> and the heads in <see cref="CpuRefinementKernel"/>, both on the
/// worker that owns the chunk. No OpenMP team is involved, so nothing spins on a core the next
/// stage wants (what cost the iterative model +10–17% on two threads when the backbone ran in
/// libtorch and the heads in .NET threads). The weights are a snapshot taken per call.
/// </summary>
internal static unsafe class FusedInference
{
    /// <summary>Rows per work item: the activations of a chunk stay in cache.</summary>
    public const int ChunkRows = 1024;

    /// <summary>Writes f(x) after <paramref name="steps"/> steps from the start states <paramref name="z"/> (n×C; empty for a
    /// plain network, or to draw the coordinate-seeded Z chunk by chunk on the workers) into <paramref name="output"/> (n×C);
    /// false when the fused kernels do not cover <paramref name="net"/>.</summary>
    public static bool TryRun(IterativeInr net, ReadOnlySpan<float> x, ReadOnlySpan<float> z, int n, int steps, Span<float> output, int threads)
    {
        if (!MklBlas.IsAvailable || FusedNetwork.TryCreate(net, out _) is not { } layout) return false;
        var heads = net.IsIterative ? CpuRefinementKernel.TryCreate(net) : null;
        if (net.IsIterative && heads is null) return false;
        int d = net.InputDims, c = net.Channels;
        bool drawZ = heads is not null && z.IsEmpty;
        if (x.Length < (long)n * d || output.Length < (long)n * c || (heads is not null && !drawZ && z.Length < (long)n * c))
            throw new ArgumentException("A buffer is shorter than rows × columns.");
        if (n == 0) return true;
        int rows = Math.Min(ChunkRows, n), chunks = (n + rows - 1) / rows;
        using var weights = new NativeFloats(layout.ParameterCount);
        layout.Pack(weights.Pointer);
        using var pool = new WorkerPool(Math.Clamp(threads, 1, chunks));
        var kernels = new BackboneKernel[pool.Workers];
        var zChunks = drawZ ? Enumerable.Range(0, pool.Workers).Select(_ => new float[rows * c]).ToArray() : null;
        var o = net.Options;
        try
        {
            for (int k = 0; k < kernels.Length; k++) kernels[k] = new BackboneKernel(layout, rows);
            fixed (float* px = x, pz = z, po = output)
            {
                nint ax = (nint)px, az = (nint)pz, ao = (nint)po;
                pool.Run(chunks, (item, worker) =>
                {
                    int r0 = item * rows, len = Math.Min(rows, n - r0);
                    var kernel = kernels[worker];
                    float* xr = (float*)ax + (long)r0 * d, outr = (float*)ao + (long)r0 * c;
                    kernel.Forward(weights.Pointer, xr, len, keepSlopes: false);
                    var b = new ReadOnlySpan<float>(kernel.Output, len * c);
                    var xs = new ReadOnlySpan<float>(xr, len * d);
                    if (heads is null) { b.CopyTo(new Span<float>(outr, len * c)); return; }
                    ReadOnlySpan<float> zs;
                    if (zChunks is not null)
                    {
                        CoordinateNoise.Fill(xs, len, d, c, o.EffectiveSeed, o.NoiseDistribution, zChunks[worker]); // on this worker, in cache
                        zs = zChunks[worker].AsSpan(0, len * c);
                    }
                    else zs = new ReadOnlySpan<float>((float*)az + (long)r0 * c, len * c);
                    heads.Run(b, xs, zs, len, steps, new Span<float>(outr, len * c), threads: 1);
                });
            }
        }
        finally
        {
            foreach (var k in kernels) k?.Dispose();
        }
        return true;
    }
}
