using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using static TorchSharp.torch;

namespace IINR.Cli.Bench;

/// <summary>Median and spread of repeated timings.</summary>
/// <param name="Median">The median (the mean of the middle two for an even count).</param>
/// <param name="Min">The fastest.</param>
/// <param name="Max">The slowest.</param>
public readonly record struct Timing(double Median, double Min, double Max)
{
    /// <summary>The summary of <paramref name="values"/>.</summary>
    public static Timing Of(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return new Timing(SpeedBenchmark.Median(s), s[0], s[^1]);
    }

    /// <summary>"median (min–max)".</summary>
    public string Format(int decimals) => $"{BenchReport.F(Median, decimals)} ({BenchReport.F(Min, decimals)}–{BenchReport.F(Max, decimals)})";
}

/// <summary>Training steps and inference of one grid and thread count, every variant interleaved step by step.</summary>
/// <param name="Size">Grid side (Size² RGB coordinates).</param>
/// <param name="Threads">Threads.</param>
/// <param name="GemmGflops">fp32 GEMM throughput of libtorch in this process with this thread count.</param>
/// <param name="Plain">ms per training step, plain backbone, default (fused on the CPU) path.</param>
/// <param name="Iterative">ms per training step, iterative model, default path.</param>
/// <param name="PlainAutograd">ms per training step, plain backbone, autograd path.</param>
/// <param name="IterativeAutograd">ms per training step, iterative model, autograd path.</param>
/// <param name="PlainInfer">ms per full-grid inference, plain backbone, default path.</param>
/// <param name="IterativeInfer">ms per full-grid inference, iterative model (its steps), default path.</param>
/// <param name="IterativeInferLibTorch">ms per full-grid inference of the iterative model through libtorch throughout (the CUDA path).</param>
/// <param name="TrainFlops">FLOPs of one plain training step (network multiply-adds × 2 × 3 for forward and backward).</param>
/// <param name="InferFlops">FLOPs of one plain inference.</param>
public sealed record StepResult(int Size, int Threads, double GemmGflops, Timing Plain, Timing Iterative, Timing PlainAutograd, Timing IterativeAutograd,
    Timing PlainInfer, Timing IterativeInfer, Timing IterativeInferLibTorch, double TrainFlops, double InferFlops)
{
    /// <summary>Training overhead of the iterative model on the default path, percent.</summary>
    public double TrainOverheadPercent => 100 * (Iterative.Median / Plain.Median - 1);
    /// <summary>Inference overhead of the iterative model on the default path, percent.</summary>
    public double InferOverheadPercent => 100 * (IterativeInfer.Median / PlainInfer.Median - 1);
    /// <summary>Achieved GFLOP/s of plain training.</summary>
    public double PlainTrainGflops => TrainFlops / Plain.Median / 1e6;
    /// <summary>Achieved GFLOP/s of plain inference.</summary>
    public double PlainInferGflops => InferFlops / PlainInfer.Median / 1e6;
}

/// <summary>K same-size images fitted one after the other and in one batch.</summary>
/// <param name="Size">Image side.</param>
/// <param name="Threads">Threads.</param>
/// <param name="Images">K.</param>
/// <param name="Iterations">Iterations per image.</param>
/// <param name="SequentialSeconds">Wall time of K <see cref="InrTrainer.Fit"/> calls.</param>
/// <param name="BatchedSeconds">Wall time of one <see cref="InrTrainer.FitMany"/> call.</param>
/// <param name="SequentialAutogradSeconds">Wall time of K fits through the autograd path (what one image cost before the fused step).</param>
/// <param name="MaxDifference">Largest difference between the pixels the batched and the one-by-one models render.</param>
public sealed record BatchResult(int Size, int Threads, int Images, int Iterations, Timing SequentialSeconds, Timing BatchedSeconds,
    Timing SequentialAutogradSeconds, double MaxDifference)
{
    /// <summary>Images per minute of the batched fit over the one-by-one fits.</summary>
    public double Speedup => SequentialSeconds.Median / BatchedSeconds.Median;
}

/// <summary>
/// The speed suite's measurements. Every comparison runs its sides interleaved in one process
/// (step by step, or run by run) so that the drift of a shared machine hits all sides alike.
/// </summary>
public static class SpeedBenchmark
{
    /// <summary>The reference network of every speed figure: plain SIREN or I-SIREN 3×256 (2→256→256→256→256→3).</summary>
    public static InrOptions Reference(ComputeDevice device, bool iterative, int iterations) => new()
    {
        Iterative = iterative,
        HiddenLayers = 3,
        HiddenSize = 256,
        Iterations = iterations,
        Device = device,
    };

    /// <summary>fp32 GEMM throughput of libtorch on this machine (GFLOP/s, median), square matrices of side <paramref name="n"/>.</summary>
    public static double GemmGflops(int n = 2048, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = rand(n, n);
        var b = rand(n, n);
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

    /// <summary>A Size² RGB training set: the built-in test scene, shifted by <paramref name="shift"/> pixels (distinct images of one size).</summary>
    public static TrainingSet Image(int size, int shift = 0)
    {
        var scene = TestScene.Render(size, size, supersampling: 1);
        var coords = PixelGrid.Coordinates(size, size);
        var values = new float[size * size * 3];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++)
                    values[(y * size + x) * 3 + c] = scene[(x + shift) % size, (y + 2 * shift) % size, c];
        return new TrainingSet(coords, 2, values, 3);
    }

    /// <summary>Times training steps (plain and iterative, default and autograd path, interleaved) and full-grid inference.</summary>
    public static StepResult Steps(int size, int threads, ComputeDevice device, int iterations, int warmup = 3, int inferRepeats = 9, int gemmSide = 2048)
    {
        TorchRuntime.Threads = threads;
        double gemm = GemmGflops(gemmSide);
        var data = Image(size);
        var dev = TorchRuntime.Resolve(device);
        var variants = new (bool Iterative, TrainingEngine Engine)[] { (false, TrainingEngine.Auto), (true, TrainingEngine.Auto), (false, TrainingEngine.Autograd), (true, TrainingEngine.Autograd) };
        var nets = new List<IterativeInr>();
        var sessions = new List<ITrainingSession>();
        var times = variants.Select(_ => new List<double>()).ToArray();
        try
        {
            foreach (var (iterative, engine) in variants)
            {
                var o = Reference(device, iterative, warmup + iterations) with { Threads = threads };
                var net = InrTrainer.CreateNetwork(o, 2, 3, dev);
                nets.Add(net);
                sessions.Add(InrTrainer.CreateSession([net], [data], o, null, dev, engine));
            }
            for (int it = 0; it < warmup + iterations; it++)
                for (int j = 0; j < sessions.Count; j++)
                {
                    int v = (j + it) % sessions.Count; // rotate who goes first
                    var sw = Stopwatch.StartNew();
                    sessions[v].Step(it);
                    if (dev.type != TorchSharp.DeviceType.CPU) sessions[v].LastLoss(); // wait for the GPU
                    if (it >= warmup) times[v].Add(sw.Elapsed.TotalMilliseconds);
                }
            foreach (var s in sessions) s.Finish();

            // Inference with the trained default-path networks: default path for both, libtorch throughout for the iterative one.
            var grid = data.Coordinates;
            var output = new float[size * size * 3];
            using var plain = new InrModel(nets[0], dev);
            using var iter = new InrModel(nets[1], dev);
            nets.RemoveRange(0, 2);
            var infer = new[] { new List<double>(), new List<double>(), new List<double>() };
            var runs = new Action[] { () => plain.Predict(grid, output), () => iter.Predict(grid, output), () => iter.Predict(grid, output, null, reference: true) };
            foreach (var run in runs) run(); // warm-up
            for (int r = 0; r < inferRepeats; r++)
                for (int j = 0; j < runs.Length; j++)
                {
                    int v = (j + r) % runs.Length;
                    var sw = Stopwatch.StartNew();
                    runs[v]();
                    infer[v].Add(sw.Elapsed.TotalMilliseconds);
                }
            double n = (double)size * size, madds = plain.Network.BackboneMultiplyAdds;
            return new StepResult(size, threads, gemm, Timing.Of(times[0]), Timing.Of(times[1]), Timing.Of(times[2]), Timing.Of(times[3]),
                Timing.Of(infer[0]), Timing.Of(infer[1]), Timing.Of(infer[2]), 6 * n * madds, 2 * n * madds);
        }
        finally
        {
            foreach (var s in sessions) s.Dispose();
            foreach (var net in nets) net.Dispose();
        }
    }

    /// <summary>Wall time (seconds) of <see cref="InrTrainer.Fit"/> of the plain reference SIREN for <paramref name="iterations"/> iterations on a
    /// Size² image with a progress report every iteration (what <c>iinr fit</c> waits for: set-up and first iterations included), and its
    /// median step (ms) over iterations 10–59 as the PyTorch peer counts it (all of them when 10 or fewer ran).</summary>
    public static (double Total, double Step) FitSeconds(int size, int threads, ComputeDevice device, int iterations)
    {
        var data = Image(size);
        var o = Reference(device, iterative: false, iterations) with { Threads = threads, ProgressInterval = 1 };
        var steps = new List<double>();
        double last = 0;
        var sw = Stopwatch.StartNew();
        using (InrTrainer.Fit(data, o, null, new Sink(p => { steps.Add(p.Elapsed.TotalMilliseconds - last); last = p.Elapsed.TotalMilliseconds; })))
        {
            double seconds = sw.Elapsed.TotalSeconds;
            if (steps.Count != iterations) throw new InvalidOperationException($"Expected {iterations} progress reports, got {steps.Count}.");
            int lo = Math.Min(10, iterations), hi = Math.Min(60, iterations);
            return (seconds, Median(lo < hi ? steps.Skip(lo).Take(hi - lo) : steps));
        }
    }

    /// <summary>Fits <paramref name="images"/> distinct Size² images (the default I-SIREN 3×256) one by one and in one batch, <paramref name="repeats"/>
    /// times interleaved; also one by one through the autograd path.</summary>
    public static BatchResult Batched(int size, int threads, ComputeDevice device, int images, int iterations, int repeats)
    {
        var data = Enumerable.Range(0, images).Select(k => Image(size, shift: 7 * k)).ToList();
        var o = new InrOptions { Iterations = iterations, Threads = threads, Device = device, ProgressInterval = iterations };
        var seq = new List<double>(); var batch = new List<double>(); var auto = new List<double>();
        double maxDiff = 0;
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            var one = data.Select(d => InrTrainer.Fit(d, o)).ToList();
            seq.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            var many = InrTrainer.FitMany(data, o);
            batch.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            foreach (var d in data) InrTrainer.FitWithEngine(d, o, null, null, default, TrainingEngine.Autograd).Dispose();
            auto.Add(sw.Elapsed.TotalSeconds);
            for (int k = 0; k < images; k++)
            {
                var a = one[k].Predict(data[k].Coordinates);
                var b = many[k].Predict(data[k].Coordinates);
                for (int i = 0; i < a.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i]));
                one[k].Dispose(); many[k].Dispose();
            }
        }
        return new BatchResult(size, threads, images, iterations, Timing.Of(seq), Timing.Of(batch), Timing.Of(auto), maxDiff);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); the benchmarks' summary statistic.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    sealed class Sink(Action<InrProgress> report) : IProgress<InrProgress>
    {
        public void Report(InrProgress value) => report(value);
    }
}
