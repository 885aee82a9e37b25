using IINR.Trainers;

namespace IINR.Cli.Output;

/// <summary>
/// Where a command's training progress is shown: each training run is a phase (a live bar or plain lines).
/// </summary>
internal interface ITaskProgress
{
    /// <summary>Starts a training phase named <paramref name="label"/> of <paramref name="iterations"/>
    /// iterations; returns where its reports go. Reports arrive on the training thread.</summary>
    IProgress<InrProgress> BeginPhase(string label, int iterations);

    /// <summary>Ends the phase begun last.</summary>
    void EndPhase();
}

/// <summary>One point of a training curve.</summary>
/// <param name="Iteration">Iterations done.</param>
/// <param name="Psnr">PSNR in dB of the reconstruction against the training signal (what the trainer reports).</param>
/// <param name="Loss">Training loss of that iteration.</param>
internal readonly record struct CurvePoint(int Iteration, double Psnr, double Loss);

/// <summary>
/// The <see cref="Microsoft.ML.IINR.IINROptions.Progress"/> of one library call. A call may train more than once
/// (automatic denoising with a refit): a report whose iteration does not follow the last one starts the next
/// phase, named by the next of <paramref name="labels"/> (the last label repeats). Records the curve of the last
/// phase, the one whose model the call returns.
/// </summary>
internal sealed class TrainingProgress(ITaskProgress? display, params string[] labels) : IProgress<InrProgress>
{
    readonly List<CurvePoint> _curve = [];
    IProgress<InrProgress>? _phase;
    int _phases, _lastIteration;

    /// <summary>The training curve of the last phase.</summary>
    public IReadOnlyList<CurvePoint> Curve => _curve;

    public void Report(InrProgress value)
    {
        if (_phases == 0 || value.Iteration <= _lastIteration)
        {
            if (_phases > 0) display?.EndPhase();
            _curve.Clear();
            _phase = display?.BeginPhase(labels[Math.Min(_phases, labels.Length - 1)], value.Iterations);
            _phases++;
        }
        _lastIteration = value.Iteration;
        _curve.Add(new CurvePoint(value.Iteration, value.Psnr, value.Loss));
        _phase?.Report(value);
    }

    /// <summary>Ends the last phase; call when the library call returns.</summary>
    public void Complete()
    {
        if (_phases > 0) display?.EndPhase();
        _phase = null;
    }
}
