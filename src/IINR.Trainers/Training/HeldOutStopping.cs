using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>One held-out evaluation: the mean squared error of the model's prediction of the held-out observations.</summary>
/// <param name="Iteration">Iterations done when it was measured.</param>
/// <param name="Steps">Inference steps of the prediction.</param>
/// <param name="Mse">Mean squared error against the held-out (possibly noisy) observations.</param>
public readonly record struct HeldOutScore(int Iteration, int Steps, double Mse);

/// <summary>
/// Early stopping without a clean reference: observations left out of training are predicted every
/// <see cref="Interval"/> iterations (with 1 to <see cref="MaxSteps"/> inference steps), and the weights
/// and step count with the smallest held-out error are restored when training ends. Noise in the
/// held-out values is independent of the fit, so the expected held-out error is the error against
/// the clean signal plus the noise variance: the same ranking.
/// </summary>
/// <remarks>
/// Each held-out value may be the mean of <see cref="GroupSize"/> consecutive rendered rows (the
/// area-average forward model of super-resolution: the s² rendered coordinates of one observed pixel);
/// 1 for a direct observation. The snapshot costs one copy of the weights per improvement.
/// </remarks>
public sealed class HeldOutStopping : ITrainingMonitor, IDisposable
{
    readonly float[] _coordinates, _values;
    readonly List<HeldOutScore> _scores = [];
    List<Tensor>? _best;

    /// <summary>Creates the monitor.</summary>
    /// <param name="heldOut">Rendered coordinates (N×D) and held-out observations (N / <paramref name="groupSize"/> rows × C).</param>
    /// <param name="interval">Iterations between evaluations (≥ 1).</param>
    /// <param name="maxSteps">Largest inference step count tried (1 to <see cref="InrOptions.MaxSteps"/>); a plain model is evaluated once.</param>
    /// <param name="groupSize">Rendered rows averaged into one observation (≥ 1).</param>
    public HeldOutStopping(TrainingSet heldOut, int interval, int maxSteps = 1, int groupSize = 1)
    {
        ArgumentNullException.ThrowIfNull(heldOut);
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be ≥ 1.");
        if (maxSteps < 1 || maxSteps > InrOptions.MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, $"MaxSteps must be between 1 and {InrOptions.MaxSteps}.");
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "The group size must be ≥ 1.");
        if ((long)heldOut.SignalCount * groupSize != heldOut.CoordinateCount)
            throw new ArgumentException($"{heldOut.SignalCount} held-out values × group size {groupSize} must equal the {heldOut.CoordinateCount} held-out coordinates.", nameof(heldOut));
        _coordinates = heldOut.Coordinates;
        _values = heldOut.Signal;
        Dims = heldOut.Dims;
        Channels = heldOut.Channels;
        Interval = interval;
        MaxSteps = maxSteps;
        GroupSize = groupSize;
    }

    /// <inheritdoc/>
    public int Interval { get; }

    /// <summary>Largest inference step count tried.</summary>
    public int MaxSteps { get; }

    /// <summary>Rendered rows per held-out observation.</summary>
    public int GroupSize { get; }

    int Dims { get; }
    int Channels { get; }

    /// <summary>Every evaluation so far, in order.</summary>
    public IReadOnlyList<HeldOutScore> Scores => _scores;

    /// <summary>The best evaluation (smallest error; the earliest on ties); null before the first.</summary>
    public HeldOutScore? Best { get; private set; }

    /// <inheritdoc/>
    public void Observe(int iteration, InrModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.InputDims != Dims || model.Channels != Channels)
            throw new ArgumentException($"The model maps {model.InputDims} → {model.Channels} values but the held-out set is {Dims} → {Channels}.", nameof(model));
        int maxSteps = model.Options.Iterative ? MaxSteps : 1;
        bool improved = false;
        for (int s = 1; s <= maxSteps; s++)
        {
            var score = new HeldOutScore(iteration, s, Error(model.Predict(_coordinates, s)));
            _scores.Add(score);
            if (Best is not { } b || score.Mse < b.Mse) { Best = score; improved = true; }
        }
        if (improved) Snapshot(model);
    }

    /// <summary>Mean squared error of a prediction at the held-out coordinates (group means) against the held-out values.</summary>
    double Error(float[] prediction)
    {
        double sum = 0;
        int c = Channels, rows = _values.Length / c;
        double inverse = 1.0 / GroupSize;
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < c; k++)
            {
                double mean = 0;
                for (int g = 0; g < GroupSize; g++) mean += prediction[(r * GroupSize + g) * c + k];
                double d = mean * inverse - _values[r * c + k];
                sum += d * d;
            }
        return sum / _values.Length;
    }

    void Snapshot(InrModel model)
    {
        using var _ = no_grad();
        var parameters = model.Network.parameters().ToList();
        if (_best is null) _best = parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToList();
        else for (int i = 0; i < parameters.Count; i++) _best[i].copy_(parameters[i]);
    }

    /// <summary>Restores the weights of the best evaluation.</summary>
    public void Complete(InrModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_best is null) return;
        using var _ = no_grad();
        var parameters = model.Network.parameters().ToList();
        for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(_best[i]);
    }

    /// <summary>Frees the snapshot.</summary>
    public void Dispose()
    {
        if (_best is null) return;
        foreach (var t in _best) t.Dispose();
        _best = null;
    }
}
