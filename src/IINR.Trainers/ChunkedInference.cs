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

    /// <summary>Reconstructs rows [start, start+count) of <paramref name="x"/> (N×D) with start states
    /// <paramref name="z"/> (N×C) into <paramref name="output"/> (N×C, same device).</summary>
    public static void Run(IterativeInr net, Tensor x, Tensor z, int steps, Tensor output, int chunk = DefaultChunk)
    {
        long n = x.shape[0];
        using var _ = no_grad();
        for (long s = 0; s < n; s += chunk)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(chunk, n - s);
            var xc = x.narrow(0, s, len);
            var y = Chunk(net, xc, z.narrow(0, s, len), steps);
            output.narrow(0, s, len).copy_(y);
        }
    }

    /// <summary>Alg. 2 on one chunk (no gradient).</summary>
    public static Tensor Chunk(IterativeInr net, Tensor x, Tensor z, int steps)
    {
        var b = net.Backbone(x);
        if (!net.IsIterative) return b;
        var r = net.Prepare(b, x);
        return IterativeSampler.Run(z, steps, (g, t) => net.Predict(r, g, t));
    }
}
