namespace IINR.Trainers;

/// <summary>
/// Watches a training run from outside the loop: <see cref="InrTrainer.Fit"/> calls <see cref="Observe"/>
/// every <see cref="Interval"/> iterations and after the last one, then <see cref="Complete"/> once.
/// The model passed in is a view of the network being trained: valid only during the call, it
/// must not be kept or disposed.
/// </summary>
public interface ITrainingMonitor
{
    /// <summary>Iterations between two observations (≥ 1).</summary>
    int Interval { get; }

    /// <summary>Called after iteration <paramref name="iteration"/> (1-based). Predictions may be made; weights must not change.</summary>
    void Observe(int iteration, InrModel model);

    /// <summary>Called once after the last iteration, before the model is returned; may change the weights
    /// (e.g. restore the best ones seen).</summary>
    void Complete(InrModel model);
}
