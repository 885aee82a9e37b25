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
    /// <param name="monitor">Optional: sees the model every <see cref="ITrainingMonitor.Interval"/> iterations and
    /// may change its weights once training ends (e.g. <see cref="HeldOutStopping"/> restores the best ones).</param>
    public static InrModel Fit(TrainingSet data, InrOptions options, IMeasurementOperator? measurement = null,
        IProgress<InrProgress>? progress = null, CancellationToken cancellationToken = default, ITrainingMonitor? monitor = null)
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
        if (options.Threads is int threads) TorchRuntime.Threads = threads;
        var device = TorchRuntime.Resolve(options.Device);

        var network = CreateNetwork(options, data.Dims, c, device);
        try
        {
            Train(network, data, options, measurement, device, progress, cancellationToken, monitor);
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
        IterativeInr network;
        using (var init = new Generator((ulong)(uint)options.Seed))
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

    static void Train(IterativeInr net, TrainingSet data, InrOptions o, IMeasurementOperator? op, Device device,
        IProgress<InrProgress>? progress, CancellationToken ct, ITrainingMonitor? monitor)
    {
        if (monitor is not null && monitor.Interval < 1)
            throw new ArgumentOutOfRangeException(nameof(monitor), monitor.Interval, $"The training monitor's interval must be ≥ 1; got {monitor.Interval}.");
        using var session = new TrainingSession(net, data, o, op, device);
        using var view = monitor is null ? null : new InrModel(net, device, ownsNetwork: false);
        var clock = Stopwatch.StartNew();
        for (int it = 0; it < o.Iterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            session.Step(it);
            if (progress is not null && ((it + 1) % o.ProgressInterval == 0 || it + 1 == o.Iterations))
                progress.Report(new InrProgress(it + 1, o.Iterations, session.LastLoss(), session.Psnr(), session.LearningRate(it), clock.Elapsed));
            if (view is not null && ((it + 1) % monitor!.Interval == 0 || it + 1 == o.Iterations))
            {
                net.eval();
                monitor.Observe(it + 1, view);
                net.train();
            }
        }
        net.eval();
        if (view is not null) monitor!.Complete(view);
    }
}
