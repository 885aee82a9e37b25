using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Alg. 2 over any number of coordinates in bounded memory: the coordinates are processed in
/// chunks; per chunk the backbone runs once and the heads once per step.
/// </summary>
internal static class ChunkedInference
{
    /// <summary>Rows per chunk: small enough that each activation stays below glibc's mmap threshold
    /// on CPU (no page-fault storm), large enough for efficient GEMMs.</summary>
    public const int DefaultChunk = 8192;

    /// <summary>Reconstructs every row of <paramref name="x"/> (N×D) with start states
    /// <paramref name="z"/> (N×C; null for a plain network) into <paramref name="output"/> (N×C, same device).
    /// On the CPU the whole network runs in the fused kernels (<see cref="Fused.FusedInference"/>) where they cover it,
    /// else the backbone in libtorch and the heads in <see cref="CpuRefinementKernel"/>; <paramref name="reference"/> asks
    /// for libtorch throughout (the reference, and what CUDA always uses).</summary>
    public static void Run(IterativeInr net, Tensor x, Tensor? z, int steps, Tensor output, int chunk = DefaultChunk, bool reference = false)
    {
        long n = x.shape[0];
        using var _ = no_grad();
        if (!reference && IsCpuFloat(x) && (z is null || IsCpuFloat(z)) && IsCpuFloat(output) && output.is_contiguous())
        {
            using var xc = x.contiguous();
            using var zc = z?.contiguous();
            if (Fused.FusedInference.TryRun(net, Floats(xc), zc is null ? default : Floats(zc), (int)n, steps, Floats(output), TorchRuntime.Threads))
                return;
            if (zc is not null && CpuRefinementKernel.TryCreate(net) is { } kernel)
            {
                RunWithKernel(net, kernel, xc, zc, steps, output, chunk);
                return;
            }
        }
        for (long s = 0; s < n; s += chunk)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(chunk, n - s);
            var xs = x.narrow(0, s, len);
            var y = Chunk(net, xs, z?.narrow(0, s, len), steps);
            output.narrow(0, s, len).copy_(y);
        }
    }

    static bool IsCpuFloat(Tensor t) => t.device_type == TorchSharp.DeviceType.CPU && t.dtype == ScalarType.Float32;

    // Rows per kernel call: the backbone fills their outputs chunk by chunk first, so libtorch's
    // OpenMP threads and the kernel's threads take turns once per span, not once per chunk.
    const int KernelSpan = 1 << 20;

    static void RunWithKernel(IterativeInr net, CpuRefinementKernel kernel, Tensor x, Tensor z, int steps, Tensor output, int chunk)
    {
        long n = x.shape[0];
        int c = net.Channels, d = net.InputDims, threads = TorchRuntime.Threads;
        using var b = empty([Math.Min(n, KernelSpan), c], ScalarType.Float32);
        for (long s0 = 0; s0 < n; s0 += KernelSpan)
        {
            int span = (int)Math.Min(KernelSpan, n - s0);
            for (int s = 0; s < span; s += chunk)
            {
                using var scope = NewDisposeScope();
                int len = Math.Min(chunk, span - s);
                b.narrow(0, s, len).copy_(net.Backbone(x.narrow(0, s0 + s, len)));
            }
            kernel.Run(Floats(b)[..(span * c)], Floats(x).Slice((int)(s0 * d), span * d), Floats(z).Slice((int)(s0 * c), span * c),
                span, steps, Floats(output).Slice((int)(s0 * c), span * c), threads);
        }
    }

    static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>Alg. 2 for one chunk through libtorch.</summary>
    public static Tensor Chunk(IterativeInr net, Tensor x, Tensor? z, int steps)
    {
        var b = net.Backbone(x);
        if (!net.IsIterative) return b;
        ArgumentNullException.ThrowIfNull(z);
        var r = net.Prepare(b, x);
        return IterativeSampler.Run(z, steps, (g, t) => net.Predict(r, g, t));
    }
}
