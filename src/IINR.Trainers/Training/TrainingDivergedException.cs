namespace IINR.Trainers;

/// <summary>
/// Training diverged: the loss or the weights stopped being finite numbers (NaN or infinite). Thrown by
/// <see cref="InrTrainer.Fit"/> (and so by every fit of the ML.NET surface) instead of returning a model that
/// would render NaN; nothing is returned or saved. The message names the iteration and the likely cause.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What diverged, when, and the likely cause.</param>
    /// <param name="iteration">The 1-based iteration whose loss was not finite, or the last iteration when the final weights were not.</param>
    /// <param name="loss">The last loss (NaN or infinite when the loss diverged).</param>
    public TrainingDivergedException(string message, int iteration, double loss) : base(message)
    {
        Iteration = iteration;
        Loss = loss;
    }

    /// <summary>The 1-based iteration at which divergence was detected.</summary>
    public int Iteration { get; }

    /// <summary>The loss of that iteration.</summary>
    public double Loss { get; }
}
