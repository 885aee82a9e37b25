using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// Algorithm 1: fits an (iterative) INR. Each iteration draws t ~ U(0, 1) and n ~ N(0, 1), forms
/// g̃_t = (1 − t)·I + t·Z + ε·t·n and minimises ||A(f_θ(g̃_t, x, t)) − y||² with Adam, the learning
/// rate decaying exponentially to <see cref="InrOptions.FinalLearningRateFactor"/>× by the last
/// iteration. A is the identity unless a measurement operator is given. Same seed, device and
/// thread count give identical weights.
/// </summary>
public static class InrTrainer
{
    /// <summary>Fits a model to <paramref name="data"/>.</summary>
    /// <param name="data">Coordinates and the observed signal.</param>
    /// <param name="options">Hyperparameters (validated first).</param>
    /// <param name="measurement">Optional forward model applied to the output before the loss
    /// (super-resolution: render at s×, average back); then the coordinates are its rendered grid
    /// and the signal its observations.</param>
    /// <param name="progress">Receives a report every <see cref="InrOptions.ProgressInterval"/> iterations and at the end.</param>
    /// <param name="cancellationToken">Stops training between iterations.</param>
    /// <exception cref="TrainingDivergedException">The loss or the weights stopped being finite (no model is returned).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network's weights would exceed 2 GiB (checked before anything is allocated).</exception>
    public static InrModel Fit(TrainingSet data, InrOptions options, IMeasurementOperator? measurement = null,
        IProgress<InrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = data.CoordinateCount, c = data.Channels;
        if (measurement is null)
        {
            if (data.SignalCount != n)
                throw new ArgumentException($"The signal has {data.SignalCount} rows but there are {n} coordinates: they must match.", nameof(data));
        }
        else
        {
            if (measurement.InputCount != n)
                throw new ArgumentException($"The measurement operator renders {measurement.InputCount} rows but there are {n} coordinates.", nameof(data));
            if (measurement.OutputCount != data.SignalCount)
                throw new ArgumentException($"The measurement operator observes {measurement.OutputCount} rows but the signal has {data.SignalCount}.", nameof(data));
            if (options.BatchSize is int bs && bs < n)
                throw new ArgumentException($"BatchSize = {bs} cannot be combined with a measurement operator, which needs all {n} rendered rows every iteration.", nameof(options));
        }
        // The model stores the seed it was trained with, so inference draws the same Z.
        options = options with { Seed = options.EffectiveSeed };
        if (options.Threads is int threads) TorchRuntime.Threads = threads;
        var device = TorchRuntime.Resolve(options.Device);

        var network = CreateNetwork(options, data.Dims, c, device);
        try
        {
            var guard = new DivergenceGuard(options, data);
            double loss = Train(network, data, options, measurement, device, progress, cancellationToken, guard);
            guard.CheckWeights(network, loss);
            return new InrModel(network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>A freshly initialised network from <paramref name="options"/>' seed, on <paramref name="device"/>.</summary>
    internal static IterativeInr CreateNetwork(InrOptions options, int dims, int channels, Device device)
    {
        NetworkShape.EnsureFits(options, dims, channels);
        IterativeInr network;
        using (var init = new Generator((ulong)(uint)options.EffectiveSeed))
            network = new IterativeInr(options, dims, channels, init);
        try
        {
            if (device.type != DeviceType.CPU) network.to(device);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    // Returns the last iteration's loss; every loss is checked before it is reported.
    static double Train(IterativeInr net, TrainingSet data, InrOptions o, IMeasurementOperator? op, Device device,
        IProgress<InrProgress>? progress, CancellationToken ct, DivergenceGuard guard)
    {
        using var session = new TrainingSession(net, data, o, op, device);
        var clock = Stopwatch.StartNew();
        double loss = 0;
        for (int it = 0; it < o.Iterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            session.Step(it);
            loss = session.LastLoss();
            guard.CheckLoss(it, loss);
            if (progress is not null && ((it + 1) % o.ProgressInterval == 0 || it + 1 == o.Iterations))
                progress.Report(new InrProgress(it + 1, o.Iterations, loss, session.Psnr(), session.LearningRate(it), clock.Elapsed));
        }
        net.eval();
        return loss;
    }
}
