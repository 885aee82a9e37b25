namespace IINR.Trainers;

/// <summary>A training progress report.</summary>
/// <param name="Iteration">Iterations done (1-based).</param>
/// <param name="Iterations">Iterations planned.</param>
/// <param name="Loss">The training loss of this iteration (mean squared error of the prediction from the noisy state).</param>
/// <param name="Psnr">PSNR in dB of the reconstruction (Alg. 2, the configured steps) against the training signal, data range 1.</param>
/// <param name="LearningRate">The learning rate of this iteration.</param>
/// <param name="Elapsed">Training time so far.</param>
public readonly record struct InrProgress(int Iteration, int Iterations, double Loss, double Psnr, double LearningRate, TimeSpan Elapsed);
