using IINR.Trainers;

namespace IINR.Cli.Tasks;

/// <summary>
/// Receives the training progress of a task. A task may train several models (plain and iterative,
/// a hold-out fit and a refit): each training phase asks for its own sink.
/// </summary>
public interface ITaskProgress
{
    /// <summary>Starts a training phase named <paramref name="label"/> of <paramref name="iterations"/>
    /// iterations; returns where its reports go (null: nowhere). Reports arrive on the training thread.</summary>
    IProgress<InrProgress>? BeginPhase(string label, int iterations);

    /// <summary>Ends the phase begun last.</summary>
    void EndPhase();
}

/// <summary>One point of a training curve.</summary>
/// <param name="Iteration">Iterations done.</param>
/// <param name="Psnr">PSNR in dB of the reconstruction against the training signal (what the trainer reports).</param>
/// <param name="Loss">Training loss of that iteration.</param>
public readonly record struct CurvePoint(int Iteration, double Psnr, double Loss);

/// <summary>Forwards reports synchronously and records them as a curve.</summary>
internal sealed class CurveRecorder(IProgress<InrProgress>? forward) : IProgress<InrProgress>
{
    readonly List<CurvePoint> _points = [];

    public IReadOnlyList<CurvePoint> Points => _points;

    public void Report(InrProgress value)
    {
        _points.Add(new CurvePoint(value.Iteration, value.Psnr, value.Loss));
        forward?.Report(value);
    }
}

/// <summary>Runs one training phase with progress and curve recording.</summary>
internal static class Training
{
    public static (InrModel Model, IReadOnlyList<CurvePoint> Curve, double Seconds) Fit(
        TrainingSet data, InrOptions options, IMeasurementOperator? op, ITaskProgress? progress, string label, CancellationToken ct)
    {
        var recorder = new CurveRecorder(progress?.BeginPhase(label, options.Iterations));
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var model = InrTrainer.Fit(data, options, op, recorder, ct);
            return (model, recorder.Points, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            progress?.EndPhase();
        }
    }
}
