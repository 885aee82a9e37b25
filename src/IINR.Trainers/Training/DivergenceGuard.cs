using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Stops a training run that diverged: every iteration's loss, and the weights before a model is returned, must be
/// finite; otherwise a <see cref="TrainingDivergedException"/> names the iteration and the likely cause (the learning
/// rate, or a signal far outside the unit range), so no NaN model is ever returned, rendered or saved.
/// </summary>
internal sealed class DivergenceGuard
{
    readonly InrOptions _options;
    readonly float _largestSignal;

    /// <param name="options">The run's options (the learning rate the message quotes).</param>
    /// <param name="data">The signals fitted (their largest magnitude hints at a scale problem).</param>
    public DivergenceGuard(InrOptions options, params IEnumerable<TrainingSet> data)
    {
        _options = options;
        foreach (var set in data)
            foreach (float v in set.Signal) _largestSignal = Math.Max(_largestSignal, Math.Abs(v));
    }

    /// <summary>Throws unless <paramref name="loss"/>, the loss of iteration <paramref name="iteration"/> (0-based), is finite.</summary>
    public void CheckLoss(int iteration, double loss)
    {
        if (double.IsFinite(loss)) return;
        string what = double.IsNaN(loss) ? "NaN" : "infinite";
        // The loss of iteration 1 is computed before any update: then only the data can be at fault.
        throw new TrainingDivergedException(
            $"Training diverged: the loss of iteration {iteration + 1} of {_options.Iterations} is {what}. {Cause(iteration == 0)} No model was produced.",
            iteration + 1, loss);
    }

    /// <summary>Throws unless every weight of <paramref name="network"/> is finite (checked once, after the last iteration).</summary>
    public void CheckWeights(IterativeInr network, double lastLoss)
    {
        using var _ = no_grad();
        foreach (var (name, p) in network.named_parameters())
        {
            using var finite = p.isfinite().all();
            if (finite.item<bool>()) continue;
            throw new TrainingDivergedException(
                $"Training diverged: after the last of {_options.Iterations} iterations the weights ({name}) are not finite. {Cause(false)} No model was produced.",
                _options.Iterations, lastLoss);
        }
    }

    string Cause(bool beforeAnyUpdate)
    {
        var inv = CultureInfo.InvariantCulture;
        double lr = _options.EffectiveLearningRate, standard = InrOptions.DefaultLearningRate(_options.Backbone);
        string scale = $"the signal's scale (its largest magnitude is {_largestSignal.ToString("G3", inv)}; values are expected roughly in [0, 1] or [−1, 1])";
        string rate = $"the learning rate ({lr.ToString("G3", inv)}; the default for {_options.Backbone} is {standard.ToString("G3", inv)})";
        if (beforeAnyUpdate || _largestSignal > 1e3f)
            return $"Likely cause: {scale}; rescale the signal.";
        return lr > 10 * standard
            ? $"Likely cause: {rate}; lower it. Otherwise {scale}."
            : $"Likely causes: {rate}, or {scale}; lower the learning rate or rescale the signal.";
    }
}
