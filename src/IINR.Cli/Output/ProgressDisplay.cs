using IINR.Trainers;
using Microsoft.ML.IINR;
using Spectre.Console;

namespace IINR.Cli.Output;

/// <summary>Shows training progress: a live bar on a terminal, plain lines when the output is redirected, nothing when quiet.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/> with the progress display that fits the output.</summary>
    public static T Run<T>(CliContext context, bool quiet, Func<ITaskProgress?, T> work)
    {
        if (quiet) return work(null);
        if (!context.Interactive) return work(new PlainProgress(context.Out));
        return LiveBars(context).Start(ctx => work(new LiveProgress(ctx)));
    }

    /// <summary>Spectre.Console progress bars on the terminal behind <paramref name="context"/>'s output.</summary>
    public static Progress LiveBars(CliContext context) =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        }).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn());

    /// <summary>Runs one library call that trains (<paramref name="work"/> receives <paramref name="options"/> with their
    /// progress set), shows its progress and records its training curve; <paramref name="labels"/> name its phases.</summary>
    public static (T Result, IReadOnlyList<CurvePoint> Curve) Train<T>(CliContext context, bool quiet, IINROptions options,
        Func<IINROptions, T> work, params string[] labels) =>
        Run(context, quiet, display =>
        {
            var progress = new TrainingProgress(display, labels);
            options.Progress = progress;
            try { return (work(options), progress.Curve); }
            finally { progress.Complete(); }
        });

    internal static string Describe(string label, InrProgress p) =>
        $"{label}: iteration {p.Iteration}/{p.Iterations}, loss {p.Loss:0.00000}, PSNR {p.Psnr:0.00} dB";

    /// <summary>Plain lines: one when a phase starts, then about every tenth of it, and at its end.</summary>
    sealed class PlainProgress(TextWriter output) : ITaskProgress
    {
        public IProgress<InrProgress> BeginPhase(string label, int iterations)
        {
            output.WriteLine($"{label}: training {iterations} iterations");
            output.Flush();
            return new Lines(output, label);
        }

        public void EndPhase() { }

        sealed class Lines(TextWriter output, string label) : IProgress<InrProgress>
        {
            int _lastDecile;

            public void Report(InrProgress value)
            {
                int decile = (int)(10L * value.Iteration / Math.Max(1, value.Iterations));
                if (decile <= _lastDecile && value.Iteration != value.Iterations) return;
                _lastDecile = decile;
                double perIteration = value.Elapsed.TotalSeconds / Math.Max(1, value.Iteration);
                double eta = perIteration * (value.Iterations - value.Iteration);
                output.WriteLine($"{Describe(label, value)}, {value.Elapsed.TotalSeconds:0.0} s elapsed, ETA {eta:0} s");
                output.Flush();
            }
        }
    }

    /// <summary>A Spectre.Console progress task per training phase.</summary>
    sealed class LiveProgress(ProgressContext context) : ITaskProgress
    {
        ProgressTask? _task;

        public IProgress<InrProgress> BeginPhase(string label, int iterations)
        {
            var task = context.AddTask(Markup.Escape($"{label}: starting"), autoStart: true, maxValue: iterations);
            _task = task;
            return new Bar(task, label);
        }

        public void EndPhase()
        {
            if (_task is null) return;
            _task.Value = _task.MaxValue;
            _task.StopTask();
            _task = null;
        }

        sealed class Bar(ProgressTask task, string label) : IProgress<InrProgress>
        {
            public void Report(InrProgress value)
            {
                task.Description = Markup.Escape($"{label} {value.Iteration}/{value.Iterations}  loss {value.Loss:0.00000}  PSNR {value.Psnr:0.00} dB");
                task.Value = value.Iteration;
            }
        }
    }
}
