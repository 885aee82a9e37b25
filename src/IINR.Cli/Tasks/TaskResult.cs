using IINR.Trainers;

namespace IINR.Cli.Tasks;

/// <summary>What every training task returns: the fitted model (owned: dispose the result), its size, the wall times
/// and the training curve. Each task's result adds its own outputs and metrics.</summary>
public abstract class TaskResult : IDisposable
{
    private protected TaskResult(InrModel model, double trainSeconds, double inferSeconds, IReadOnlyList<CurvePoint> curve)
    {
        Model = model; TrainSeconds = trainSeconds; InferSeconds = inferSeconds; Curve = curve;
    }

    /// <summary>The fitted model.</summary>
    public InrModel Model { get; }
    /// <summary>Training iterations (per training run).</summary>
    public int Iterations => Model.Options.Iterations;
    /// <summary>Trainable parameters (backbone plus heads).</summary>
    public long Parameters => ImageInr.ParameterCount(Model);
    /// <summary>Wall time of training in seconds: every training run of the task, including the periodic PSNR
    /// evaluations of the progress reports (and, for automatic denoising, the choice of steps).</summary>
    public double TrainSeconds { get; }
    /// <summary>Wall time of rendering or predicting the task's output, in seconds.</summary>
    public double InferSeconds { get; }
    /// <summary>Training PSNR against iteration (against what the model was trained on: the input, the noisy
    /// pixels, the low-resolution image through the forward model, or the 0/1 occupancy).</summary>
    public IReadOnlyList<CurvePoint> Curve { get; }

    /// <summary>Frees the model.</summary>
    public void Dispose() => Model.Dispose();
}
