using System.Globalization;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// One training run of the catalog, the single way from the ML.NET surface into the core's
/// <see cref="InrTrainer"/>: the estimator and the tasks prepare a <see cref="TrainingSet"/> (and a forward
/// model), this resolves the seed, logs to the MLContext, links its cancellation, fits, and wraps the
/// fitted model as a transformer.
/// </summary>
internal static class Fitting
{
    /// <summary>Fits <paramref name="data"/> with <paramref name="options"/>; the transformer remembers <paramref name="frame"/>.
    /// A <paramref name="monitor"/> sees the model during training (held-out early stopping).</summary>
    internal static IINRTransformer Run(ContextEnvironment env, TrainingSet data, IMeasurementOperator? measurement, IINROptions options, ImageFrame? frame,
        ITrainingMonitor? monitor = null)
    {
        var model = options.Model with { Seed = env.Seed(options.Model.Seed) };
        using var channel = env.StartChannel();
        string through = measurement is null ? "" : Invariant($", through a forward model of {data.CoordinateCount} rendered rows");
        channel.Info(MessageSensitivity.None, Invariant(
            $"Fitting {(model.Iterative ? "an iterative" : "a plain")} {model.Backbone} model ({model.HiddenLayers}×{model.HiddenSize}) to {data.SignalCount} rows (D = {data.Dims}, C = {data.Channels}{through}): {model.Iterations} iterations, seed {model.Seed}, device {model.Device}."));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        InrModel fitted;
        using (var cancellation = env.LinkCancellation(options.CancellationToken))
            fitted = InrTrainer.Fit(data, model, measurement, new LoggedProgress(channel, options.Progress), cancellation.Token, monitor);
        try
        {
            channel.Info(MessageSensitivity.None, Invariant($"Fitted in {clock.Elapsed.TotalSeconds:0.0} s."));
            return IINRTransformer.FromModel(fitted, frame, model.Steps, options.CoordinatesColumnName, options.SignalColumnName, options.OutputColumnName);
        }
        catch
        {
            fitted.Dispose();
            throw;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends each report to the context's log (Trace) and on to the caller's sink.</summary>
    private sealed class LoggedProgress(IChannel channel, IProgress<InrProgress>? forward) : IProgress<InrProgress>
    {
        public void Report(InrProgress value)
        {
            channel.Trace(MessageSensitivity.None, Invariant(
                $"Iteration {value.Iteration}/{value.Iterations}: loss {value.Loss:G4}, PSNR {value.Psnr:0.00} dB, learning rate {value.LearningRate:G3}, {value.Elapsed.TotalSeconds:0.0} s."));
            forward?.Report(value);
        }
    }
}
