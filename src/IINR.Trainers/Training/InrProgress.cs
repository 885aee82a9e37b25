namespace IINR.Trainers;

/// <summary>A training progress report.</summary>
/// <param name="Iteration">Iterations done (1-based).</param>
/// <param name="Iterations">Iterations planned.</param>
/// <param name="Loss">The training loss of this iteration (mean squared error of the prediction from the noisy state).</param>
/// <param name="Psnr">Training PSNR in dB (data range 1) of the reconstruction (Alg. 2, the configured steps) against the
/// training signal: for a plain network trained on every row each iteration, read from the loss of this iteration (the
/// same mean squared error over every row, before this iteration's update); otherwise measured on a fixed, evenly spaced
/// subsample of the training rows sized so that all reports together cost about 1% of the training (n·interval/32 rows,
/// at least 64 or all of them, at most 4,096).</param>
/// <param name="LearningRate">The learning rate of this iteration.</param>
/// <param name="Elapsed">Training time so far.</param>
public readonly record struct InrProgress(int Iteration, int Iterations, double Loss, double Psnr, double LearningRate, TimeSpan Elapsed)
{
    /// <summary>Which signal of <c>InrTrainer.FitMany</c> the report is about (its index in the list); 0 for <see cref="InrTrainer.Fit"/>.</summary>
    public int Signal { get; init; }
}
