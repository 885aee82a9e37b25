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

    /// <summary>The loss of the last iteration for signal <paramref name="signal"/> (0 unless several are trained together).</summary>
    double LastLoss(int signal = 0);

    /// <summary>The training PSNR of signal <paramref name="signal"/> for progress reports: for a plain network trained on every
    /// row each iteration, read from the loss the last step computed (the same mean squared error over every row, before that
    /// step's update); otherwise the reconstruction on a fixed subsample (<see cref="ProgressProbe"/>).</summary>
    double Psnr(int signal = 0);

    /// <summary>Leaves the trained weights in the network module(s).</summary>
    void Finish();
}
