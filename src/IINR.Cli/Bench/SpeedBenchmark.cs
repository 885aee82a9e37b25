using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
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

/// <summary>Training steps and inference of one grid and thread count, every variant interleaved step by step. Each timing has its
/// wall time and the process's CPU time: on a machine shared with other jobs the CPU time of the fused paths (which never spin)
/// is the steadier measure of their cost.</summary>
/// <param name="Size">Grid side (Size² RGB coordinates).</param>
/// <param name="Threads">Threads.</param>
/// <param name="Gemm">ms per 2·n³-FLOP square product through libtorch, interleaved with the steps (same threads, same machine state).</param>
/// <param name="GemmFlops">FLOPs of that product.</param>
/// <param name="Plain">Training step, plain backbone, default (fused on the CPU) path.</param>
/// <param name="Iterative">Training step, iterative model, default path.</param>
/// <param name="PlainAutograd">Training step, plain backbone, autograd path.</param>
/// <param name="IterativeAutograd">Training step, iterative model, autograd path.</param>
/// <param name="PlainInfer">Full-grid inference, plain backbone, default path.</param>
/// <param name="IterativeInfer">Full-grid inference, iterative model (its steps), default path.</param>
/// <param name="IterativeInferLibTorch">Full-grid inference of the iterative model through libtorch throughout (the CUDA path).</param>
/// <param name="TrainFlops">FLOPs of one plain training step (network multiply-adds × 2 × 3 for forward and backward).</param>
/// <param name="InferFlops">FLOPs of one plain inference.</param>
public sealed record StepResult(int Size, int Threads, Measured Gemm, double GemmFlops, Measured Plain, Measured Iterative, Measured PlainAutograd,
    Measured IterativeAutograd, Measured PlainInfer, Measured IterativeInfer, Measured IterativeInferLibTorch, double TrainFlops, double InferFlops)
{
    /// <summary>fp32 GEMM GFLOP/s of libtorch in this process with these threads.</summary>
    public double GemmGflops => GemmFlops / Gemm.Wall.Median / 1e6;
    /// <summary>Achieved GFLOP/s of plain training.</summary>
    public double PlainTrainGflops => TrainFlops / Plain.Wall.Median / 1e6;
    /// <summary>Achieved GFLOP/s of plain inference.</summary>
    public double PlainInferGflops => InferFlops / PlainInfer.Wall.Median / 1e6;
}

/// <summary>Wall time and process CPU time of repeated runs, ms.</summary>
public sealed record Measured(Timing Wall, Timing Cpu)
{
    /// <summary>The overhead of <paramref name="other"/> over this, percent, by wall time and by CPU time.</summary>
    public (double Wall, double Cpu) OverheadOf(Measured other) => (100 * (other.Wall.Median / Wall.Median - 1), 100 * (other.Cpu.Median / Cpu.Median - 1));
}

/// <summary>K same-size images fitted one after the other and in one batch (seconds, wall and process CPU time).</summary>
/// <param name="Size">Image side.</param>
/// <param name="Threads">Threads.</param>
/// <param name="Images">K.</param>
/// <param name="Iterations">Iterations per image.</param>
/// <param name="Sequential">K <see cref="InrTrainer.Fit"/> calls.</param>
/// <param name="Batched">One <c>InrTrainer.FitMany</c> call.</param>
/// <param name="SequentialAutograd">K fits through the autograd path (what one image cost before the fused step).</param>
/// <param name="MaxDifference">Largest difference between the pixels the batched and the one-by-one models render.</param>
/// <param name="TrainFlops">FLOPs of one image's fit: the backbone's multiply-adds × 2 × 3 per row and iteration (the heads' ~1% left
/// out, so a rate derived from it is an upper bound).</param>
public sealed record BatchResult(int Size, int Threads, int Images, int Iterations, Measured Sequential, Measured Batched,
    Measured SequentialAutograd, double MaxDifference, double TrainFlops)
{
    /// <summary>Images per minute if every FLOP of the fits ran at <paramref name="gemmGflops"/>: what no engine, batched or not, can beat.</summary>
    public double PerMinuteAt(double gemmGflops) => 60 * gemmGflops * 1e9 / TrainFlops;
}

/// <summary>A super-resolution fit timed on the default path and through autograd (seconds, wall and process CPU time).</summary>
/// <param name="ObservedSide">Side of the observed image (the render is 2× that, the output 4×).</param>
/// <param name="Threads">Threads.</param>
/// <param name="Iterations">Iterations per fit.</param>
/// <param name="HiddenSize">The preset's width for this input.</param>
/// <param name="Fused">Fits on the default path (the fused step on the CPU).</param>
/// <param name="Autograd">Fits through the autograd path (what super-resolution took before the forward model was fused).</param>
/// <param name="MaxDifference">Largest difference between the 4× renders of the two models (different arithmetic: small, not 0).</param>
public sealed record SuperResolutionResult(int ObservedSide, int Threads, int Iterations, int HiddenSize, Measured Fused, Measured Autograd, double MaxDifference);

/// <summary>A WIRE fit timed on the default path and through autograd (seconds, wall and process CPU time).</summary>
/// <param name="Size">Image side.</param>
/// <param name="Threads">Threads.</param>
/// <param name="Iterations">Iterations per fit.</param>
/// <param name="Fused">Fits on the default path (the fused step on the CPU).</param>
/// <param name="Autograd">Fits through the autograd path (what every WIRE fit took before its complex layers were fused).</param>
/// <param name="FusedPsnr">PSNR (dB) of the fused fit's render against the image.</param>
/// <param name="AutogradPsnr">The same for the autograd fit.</param>
/// <param name="MaxDifference">Largest difference between the two models' renders. Not small: Adam's first steps move every weight
/// by about the learning rate whatever its gradient's size, so rounding-level differences in tiny gradients change those weights
/// by up to twice the rate, and WIRE's ω0 = 20 magnifies that in the render; the PSNRs stay together.</param>
public sealed record WireResult(int Size, int Threads, int Iterations, Measured Fused, Measured Autograd, double FusedPsnr, double AutogradPsnr, double MaxDifference);

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

    /// <summary>Times training steps (plain and iterative, default and autograd path) and a GEMM, interleaved round by round, then
    /// full-grid inference (default path, and libtorch throughout for the iterative model), interleaved.</summary>
    public static StepResult Steps(int size, int threads, ComputeDevice device, int iterations, int warmup = 3, int inferRepeats = 9, int gemmSide = 2048)
    {
        TorchRuntime.Threads = threads;
        var data = Image(size);
        var dev = TorchRuntime.Resolve(device);
        var variants = new (bool Iterative, TrainingEngine Engine)[] { (false, TrainingEngine.Auto), (true, TrainingEngine.Auto), (false, TrainingEngine.Autograd), (true, TrainingEngine.Autograd) };
        var nets = new List<IterativeInr>();
        var sessions = new List<ITrainingSession>();
        using var scope = NewDisposeScope();
        var a = rand(gemmSide, gemmSide);
        var b = rand(gemmSide, gemmSide);
        try
        {
            foreach (var (iterative, engine) in variants)
            {
                var o = Reference(device, iterative, warmup + iterations) with { Threads = threads };
                var net = InrTrainer.CreateNetwork(o, 2, 3, dev);
                nets.Add(net);
                sessions.Add(InrTrainer.CreateSession([net], [data], o, null, dev, engine));
            }
            int it = 0;
            var train = Interleaved(warmup, iterations,
            [
                .. sessions.Select(s => (Action)(() => Step(s, it, dev))),
                () => { using var _ = no_grad(); a.mm(b).Dispose(); },
            ], () => it++);
            foreach (var s in sessions) s.Finish();

            // Inference with the trained default-path networks: default path for both, libtorch throughout for the iterative one.
            var grid = data.Coordinates;
            var output = new float[size * size * 3];
            using var plain = new InrModel(nets[0], dev);
            using var iter = new InrModel(nets[1], dev);
            nets.RemoveRange(0, 2);
            var infer = Interleaved(1, inferRepeats,
                [() => plain.Predict(grid, output), () => iter.Predict(grid, output), () => iter.Predict(grid, output, null, reference: true)], null);
            double n = (double)size * size, madds = plain.Network.BackboneMultiplyAdds;
            return new StepResult(size, threads, train[4], 2.0 * gemmSide * gemmSide * gemmSide, train[0], train[1], train[2], train[3],
                infer[0], infer[1], infer[2], 6 * n * madds, 2 * n * madds);
        }
        finally
        {
            foreach (var s in sessions) s.Dispose();
            foreach (var net in nets) net.Dispose();
        }
    }

    static void Step(ITrainingSession session, int it, Device device)
    {
        session.Step(it);
        if (device.type != TorchSharp.DeviceType.CPU) session.LastLoss(); // wait for the GPU
    }

    // Runs every action once per round, rotating which goes first; returns each action's wall and CPU times (ms) after the warm-up rounds.
    static Measured[] Interleaved(int warmup, int rounds, Action[] actions, Action? afterRound)
    {
        var wall = actions.Select(_ => new List<double>()).ToArray();
        var cpu = actions.Select(_ => new List<double>()).ToArray();
        using var process = Process.GetCurrentProcess();
        for (int r = 0; r < warmup + rounds; r++)
        {
            for (int j = 0; j < actions.Length; j++)
            {
                int v = (j + r) % actions.Length;
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                actions[v]();
                double ms = sw.Elapsed.TotalMilliseconds;
                process.Refresh();
                if (r < warmup) continue;
                wall[v].Add(ms);
                cpu[v].Add((process.TotalProcessorTime - cpu0).TotalMilliseconds);
            }
            afterRound?.Invoke();
        }
        return actions.Select((_, v) => new Measured(Timing.Of(wall[v]), Timing.Of(cpu[v]))).ToArray();
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

    /// <summary>Fits <paramref name="images"/> distinct Size² images (the default I-SIREN 3×256) one by one, in one batch, and one by one
    /// through the autograd path, <paramref name="repeats"/> times interleaved.</summary>
    public static BatchResult Batched(int size, int threads, ComputeDevice device, int images, int iterations, int repeats)
    {
        var data = Enumerable.Range(0, images).Select(k => Image(size, shift: 7 * k)).ToList();
        var o = new InrOptions { Iterations = iterations, Threads = threads, Device = device, ProgressInterval = iterations };
        List<InrModel>? one = null;
        IReadOnlyList<InrModel>? many = null;
        double maxDiff = 0, madds = 0;
        var runs = Interleaved(0, repeats,
        [
            () => one = data.Select(d => InrTrainer.Fit(d, o)).ToList(),
            () => many = InrTrainer.FitMany(data, o),
            () => { foreach (var d in data) InrTrainer.FitWithEngine(d, o, null, null, default, TrainingEngine.Autograd).Dispose(); },
        ], () =>
        {
            madds = one![0].Network.BackboneMultiplyAdds; // every image's network has the same shape
            for (int k = 0; k < images; k++)
            {
                var a = one[k].Predict(data[k].Coordinates);
                var b = many![k].Predict(data[k].Coordinates);
                for (int i = 0; i < a.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i]));
                one[k].Dispose(); many[k].Dispose();
            }
        });
        return new BatchResult(size, threads, images, iterations, Seconds(runs[0]), Seconds(runs[1]), Seconds(runs[2]), maxDiff,
            6.0 * size * size * madds * iterations);
    }

    /// <summary>Fits the super-resolution preset (I-SIREN, its width sized to the input) to the test scene rendered at
    /// <paramref name="observedSide"/>², through the forward model at the preset's training scale, on the default path and through
    /// autograd, <paramref name="repeats"/> times interleaved.</summary>
    public static SuperResolutionResult SuperResolution(int observedSide, int threads, ComputeDevice device, int iterations, int repeats)
    {
        int scale = TaskPresets.SuperResolutionTrainingScale, side = observedSide * scale;
        var observed = TestScene.Render(observedSide, observedSide);
        var data = new TrainingSet(PixelGrid.Coordinates(side, side), 2, observed.Data, observed.Channels);
        var op = new AveragePoolOperator(observedSide, observedSide, scale);
        var o = TaskPresets.SuperResolution(BackboneKind.Siren, observedSide, observedSide) with
        {
            Iterations = iterations, Threads = threads, Device = device, ProgressInterval = iterations,
        };
        var output = PixelGrid.Coordinates(4 * observedSide, 4 * observedSide);
        InrModel? fused = null, reference = null;
        double maxDiff = 0;
        var runs = Interleaved(0, repeats,
        [
            () => fused = InrTrainer.FitWithEngine(data, o, op, null, default, TrainingEngine.Auto),
            () => reference = InrTrainer.FitWithEngine(data, o, op, null, default, TrainingEngine.Autograd),
        ], () =>
        {
            var a = fused!.Predict(output);
            var b = reference!.Predict(output);
            for (int i = 0; i < a.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i]));
            fused.Dispose(); reference.Dispose();
        });
        return new SuperResolutionResult(observedSide, threads, iterations, o.HiddenSize, Seconds(runs[0]), Seconds(runs[1]), maxDiff);
    }

    /// <summary>Fits I-WIRE at its fitting preset (3×256: 181 complex units per layer) to the Size² test scene on the default path and
    /// through autograd, <paramref name="repeats"/> times interleaved.</summary>
    public static WireResult Wire(int size, int threads, ComputeDevice device, int iterations, int repeats)
    {
        var data = Image(size);
        var o = TaskPresets.Fitting(BackboneKind.Wire) with { Iterations = iterations, Threads = threads, Device = device, ProgressInterval = iterations };
        InrModel? fused = null, reference = null;
        double maxDiff = 0, fusedPsnr = 0, autogradPsnr = 0;
        var runs = Interleaved(0, repeats,
        [
            () => fused = InrTrainer.FitWithEngine(data, o, null, null, default, TrainingEngine.Auto),
            () => reference = InrTrainer.FitWithEngine(data, o, null, null, default, TrainingEngine.Autograd),
        ], () =>
        {
            var a = fused!.Predict(data.Coordinates);
            var b = reference!.Predict(data.Coordinates);
            for (int i = 0; i < a.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i]));
            fusedPsnr = ImageMetrics.Psnr(ImageMetrics.Mse(a, data.Signal));
            autogradPsnr = ImageMetrics.Psnr(ImageMetrics.Mse(b, data.Signal));
            fused.Dispose(); reference.Dispose();
        });
        return new WireResult(size, threads, iterations, Seconds(runs[0]), Seconds(runs[1]), fusedPsnr, autogradPsnr, maxDiff);
    }

    // Seconds, not ms.
    static Measured Seconds(Measured m) => new(Scale(m.Wall), Scale(m.Cpu));
    static Timing Scale(Timing t) => new(t.Median / 1000, t.Min / 1000, t.Max / 1000);

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
