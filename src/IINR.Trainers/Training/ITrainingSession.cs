namespace IINR.Trainers;

/// <summary>
/// One training run of Alg. 1, step by step: <see cref="TrainingSession"/> (autograd; the reference,
/// and the path for CUDA and for what the fused kernels do not cover) or
/// <see cref="Fused.FusedTrainingSession"/> (the allocation-free CPU step).
/// </summary>
internal interface ITrainingSession : IDisposable
{
    /// <summary>The learning rate of iteration <paramref name="it"/> (0-based): exponential decay to the final factor.</summary>
    double LearningRate(int it);

    /// <summary>One iteration.</summary>
    void Step(int it);

    /// <summary>The loss of the last iteration.</summary>
    double LastLoss();

    /// <summary>The training PSNR for progress reports: for a plain network trained on every row each
    /// iteration, read from the loss the last step computed (the same mean squared error over every row,
    /// before that step's update); otherwise the reconstruction on a fixed subsample (<see cref="ProgressProbe"/>).</summary>
    double Psnr();

    /// <summary>Leaves the trained weights in the network module(s).</summary>
    void Finish();
}
