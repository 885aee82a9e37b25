using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Benchmarks;

/// <summary>One configuration's timings, plain backbone vs the iterative model, measured side by side.</summary>
/// <param name="Size">Image side (Size×Size RGB coordinates).</param>
/// <param name="Threads">libtorch threads.</param>
/// <param name="PlainTrainMs">Median ms per training iteration, plain backbone.</param>
/// <param name="IterativeTrainMs">Median ms per training iteration, iterative model.</param>
/// <param name="PlainInferMs">Median ms per full-grid inference, plain backbone.</param>
/// <param name="IterativeInferMs">Median ms per full-grid inference, iterative model (its steps).</param>
/// <param name="PlainTrainGflops">Achieved GFLOP/s of plain training (network multiply-adds × 2 × 3 for forward and backward).</param>
/// <param name="IterativeTrainGflops">Achieved GFLOP/s of iterative training.</param>
/// <param name="PlainInferGflops">Achieved GFLOP/s of plain inference.</param>
/// <param name="IterativeInferGflops">Achieved GFLOP/s of iterative inference.</param>
/// <param name="LibTorchHeadsInferMs">Median ms per full-grid inference of the iterative model with its
/// heads run through libtorch (the path CUDA uses; on the CPU the default is the managed kernel).</param>
public sealed record SpeedResult(int Size, int Threads,
    double PlainTrainMs, double IterativeTrainMs, double PlainInferMs, double IterativeInferMs,
    double PlainTrainGflops, double IterativeTrainGflops, double PlainInferGflops, double IterativeInferGflops,
    double LibTorchHeadsInferMs)
{
    /// <summary>Inference time overhead of the iterative model with libtorch heads, in percent.</summary>
    public double LibTorchHeadsInferOverheadPercent => 100 * (LibTorchHeadsInferMs / PlainInferMs - 1);

    /// <summary>Training time overhead of the iterative model, in percent.</summary>
    public double TrainOverheadPercent => 100 * (IterativeTrainMs / PlainTrainMs - 1);

    /// <summary>Inference time overhead of the iterative model, in percent.</summary>
    public double InferOverheadPercent => 100 * (IterativeInferMs / PlainInferMs - 1);
}

/// <summary>
/// Measures ms per training iteration and per full-grid inference of the plain backbone and the
/// iterative model, interleaved iteration by iteration in one process so that machine drift hits
/// both alike, and the machine's fp32 GEMM throughput through libtorch for reference.
/// </summary>
public static class SpeedBenchmark
{
    /// <summary>fp32 GEMM throughput of libtorch on this machine (GFLOP/s, median), square matrices of side <paramref name="n"/>.</summary>
    public static double GemmGflops(int n = 2048, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = torch.rand(n, n);
        var b = torch.rand(n, n);
        a.mm(b).Dispose(); // warm-up
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            a.mm(b).Dispose();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / Median(times) / 1e9;
    }

    /// <summary>Times plain vs iterative on a Size×Size RGB signal with the given options (Iterative is set per side).</summary>
    public static SpeedResult Run(int size, InrOptions options, int iterations = 20, int warmup = 3, int inferRepeats = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        options.Validate();
        if (options.Threads is int th) TorchRuntime.Threads = th;
        var device = TorchRuntime.Resolve(options.Device);
        var coords = new float[size * size * 2];
        var signal = new float[size * size * 3];
        var rng = new Random(1);
        for (int i = 0; i < coords.Length; i++) coords[i] = (float)(2 * rng.NextDouble() - 1);
        for (int i = 0; i < signal.Length; i++) signal[i] = (float)rng.NextDouble();
        var data = new TrainingSet(coords, 2, signal, 3);

        var plainOptions = options with { Iterative = false };
        var iterOptions = options with { Iterative = true };
        using var plain = InrTrainer.CreateNetwork(plainOptions, 2, 3, device);
        using var iter = InrTrainer.CreateNetwork(iterOptions, 2, 3, device);

        var tp = new List<double>();
        var ti = new List<double>();
        using (var sp = new TrainingSession(plain, data, plainOptions with { Iterations = warmup + iterations }, null, device))
        using (var si = new TrainingSession(iter, data, iterOptions with { Iterations = warmup + iterations }, null, device))
        {
            for (int it = 0; it < warmup + iterations; it++)
            {
                // Alternate which goes first, so neither always follows the other.
                if (it % 2 == 0) { Time(sp, it, tp, it >= warmup, device); Time(si, it, ti, it >= warmup, device); }
                else { Time(si, it, ti, it >= warmup, device); Time(sp, it, tp, it >= warmup, device); }
            }
        }
        plain.eval(); iter.eval();

        var ip = new List<double>();
        var ii = new List<double>();
        var il = new List<double>();
        using (var mp = new InrModel(plain, device))
        using (var mi = new InrModel(iter, device))
        {
            var output = new float[size * size * 3];
            mp.Predict(coords, output); mi.Predict(coords, output); mi.Predict(coords, output, null, libTorchHeads: true); // warm-up
            for (int r = 0; r < inferRepeats; r++)
            {
                var sw = Stopwatch.StartNew(); mp.Predict(coords, output); ip.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart(); mi.Predict(coords, output); ii.Add(sw.Elapsed.TotalMilliseconds);
                sw.Restart(); mi.Predict(coords, output, null, libTorchHeads: true); il.Add(sw.Elapsed.TotalMilliseconds);
            }
        }

        long n = (long)size * size;
        double backbone = plain.BackboneMultiplyAdds, heads = iter.HeadMultiplyAdds;
        double trainFlopsPlain = 6.0 * n * backbone, trainFlopsIter = 6.0 * n * (backbone + heads);
        double inferFlopsPlain = 2.0 * n * backbone, inferFlopsIter = 2.0 * n * (backbone + options.Steps * heads);
        double mtp = Median(tp), mti = Median(ti), mip = Median(ip), mii = Median(ii);
        return new SpeedResult(size, TorchRuntime.Threads, mtp, mti, mip, mii,
            trainFlopsPlain / mtp / 1e6, trainFlopsIter / mti / 1e6, inferFlopsPlain / mip / 1e6, inferFlopsIter / mii / 1e6, Median(il));
    }

    static void Time(TrainingSession s, int it, List<double> into, bool record, Device device)
    {
        var sw = Stopwatch.StartNew();
        s.Step(it);
        if (device.type == DeviceType.CUDA) s.LastLoss(); // wait for the GPU
        if (record) into.Add(sw.Elapsed.TotalMilliseconds);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); the benchmarks' summary statistic.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
