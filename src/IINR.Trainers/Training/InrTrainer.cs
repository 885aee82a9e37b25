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
/// <remarks>
/// On the CPU the step runs in fused kernels (no autograd, every buffer allocated once, one worker
/// per core) wherever they cover the configuration: the SIREN, FINER, Gauss and Fourier-features
/// backbones with every head option, with no measurement operator or super-resolution's
/// <see cref="AveragePoolOperator"/>, where libtorch's CPU library exposes MKL (Linux x64).
/// Everything else (CUDA, WIRE, any other measurement operator) trains through
/// libtorch's autograd, the reference the fused kernels are tested against.
/// </remarks>
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
    /// <exception cref="TrainingDivergedException">The loss or the weights stopped being finite (no model is returned).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The network's weights would exceed 2 GiB (checked before anything is allocated).</exception>
    public static InrModel Fit(TrainingSet data, InrOptions options, IMeasurementOperator? measurement = null,
        IProgress<InrProgress>? progress = null, CancellationToken cancellationToken = default, ITrainingMonitor? monitor = null) =>
        FitWithEngine(data, options, measurement, progress, cancellationToken, TrainingEngine.Auto, monitor);

    /// <summary>Fits one model per signal, all of the same size, in one batched network with per-signal weights: on the
    /// CPU the fused step trains them side by side (more images per minute than one after the other, chiefly on small
    /// images), elsewhere they are fitted one after the other. Each model is the one <see cref="Fit"/> returns for that
    /// signal with the same options: same seed, same weights.</summary>
    /// <param name="data">The signals: the same number of coordinates, coordinate dimension and channels, and as many signal rows as coordinates.</param>
    /// <param name="options">Hyperparameters shared by all (validated first).</param>
    /// <param name="progress">Receives, every <see cref="InrOptions.ProgressInterval"/> iterations and at the end, one report per
    /// signal (<see cref="InrProgress.Signal"/> says which).</param>
    /// <param name="cancellationToken">Stops training between iterations.</param>
    /// <returns>One model per signal, in order.</returns>
    public static IReadOnlyList<InrModel> FitMany(IReadOnlyList<TrainingSet> data, InrOptions options,
        IProgress<InrProgress>? progress = null, CancellationToken cancellationToken = default) =>
        FitManyWithEngine(data, options, null, progress, cancellationToken, TrainingEngine.Auto);

    /// <summary><see cref="FitMany(IReadOnlyList{TrainingSet}, InrOptions, IProgress{InrProgress}?, CancellationToken)"/> through one
    /// forward model shared by all the signals (super-resolution of same-size images: each signal's coordinates are the rendered
    /// grid, its values the observations). On the CPU the fused step trains them side by side where it takes the operator
    /// (<see cref="AveragePoolOperator"/>); each model is the one <see cref="Fit"/> returns with the same operator and options.</summary>
    /// <param name="data">The signals: <paramref name="measurement"/>'s rendered rows as coordinates and its observed rows as values, all of the same size.</param>
    /// <param name="options">Hyperparameters shared by all (validated first).</param>
    /// <param name="measurement">The forward model applied to every signal's output before the loss.</param>
    /// <param name="progress">One report per signal every <see cref="InrOptions.ProgressInterval"/> iterations and at the end.</param>
    /// <param name="cancellationToken">Stops training between iterations.</param>
    /// <returns>One model per signal, in order.</returns>
    public static IReadOnlyList<InrModel> FitMany(IReadOnlyList<TrainingSet> data, InrOptions options, IMeasurementOperator measurement,
        IProgress<InrProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return FitManyWithEngine(data, options, measurement, progress, cancellationToken, TrainingEngine.Auto);
    }

    internal static InrModel FitWithEngine(TrainingSet data, InrOptions options, IMeasurementOperator? measurement,
        IProgress<InrProgress>? progress, CancellationToken cancellationToken, TrainingEngine engine, ITrainingMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (monitor is not null && monitor.Interval < 1)
            throw new ArgumentOutOfRangeException(nameof(monitor), monitor.Interval, $"The training monitor's interval must be ≥ 1; got {monitor.Interval}.");
        // The model stores the seed it was trained with, so inference draws the same Z.
        options = options with { Seed = options.EffectiveSeed };
        int n = data.CoordinateCount;
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
            CheckFullBatch(options, measurement);
        }
        var device = Prepare(options);
        var network = CreateNetwork(options, data.Dims, data.Channels, device);
        try
        {
            var guard = new DivergenceGuard(options, data);
            using (var session = CreateSession([network], [data], options, measurement, device, engine))
            {
                using var view = monitor is null ? null : new InrModel(network, device, ownsNetwork: false);
                var losses = Train(session, 1, options, progress, cancellationToken, guard, view is null ? null : (monitor!, view));
                guard.CheckWeights(network, losses[0]);
            }
            return new InrModel(network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    internal static IReadOnlyList<InrModel> FitManyWithEngine(IReadOnlyList<TrainingSet> data, InrOptions options, IMeasurementOperator? measurement,
        IProgress<InrProgress>? progress, CancellationToken cancellationToken, TrainingEngine engine)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Count == 0) throw new ArgumentException("There are no signals to fit.", nameof(data));
        for (int k = 0; k < data.Count; k++)
        {
            var d = data[k] ?? throw new ArgumentException($"Signal {k} is null.", nameof(data));
            if (measurement is null && d.SignalCount != d.CoordinateCount)
                throw new ArgumentException($"Signal {k} has {d.SignalCount} rows but {d.CoordinateCount} coordinates: they must match.", nameof(data));
            if (measurement is not null && (d.CoordinateCount != measurement.InputCount || d.SignalCount != measurement.OutputCount))
                throw new ArgumentException($"Signal {k} has {d.CoordinateCount} coordinates and {d.SignalCount} signal rows, but the measurement operator " +
                    $"renders {measurement.InputCount} rows and observes {measurement.OutputCount}.", nameof(data));
            if (d.CoordinateCount != data[0].CoordinateCount || d.Dims != data[0].Dims || d.Channels != data[0].Channels)
                throw new ArgumentException($"Signal {k} has {d.CoordinateCount} coordinates of {d.Dims} values and {d.Channels} channels, signal 0 " +
                    $"{data[0].CoordinateCount} of {data[0].Dims} and {data[0].Channels}: fitting many at once needs them all the same size.", nameof(data));
        }
        options.Validate();
        if (measurement is not null) CheckFullBatch(options, measurement);
        options = options with { Seed = options.EffectiveSeed };
        var device = Prepare(options);
        var networks = new List<IterativeInr>();
        try
        {
            foreach (var d in data) networks.Add(CreateNetwork(options, d.Dims, d.Channels, device));
            var session = engine == TrainingEngine.Auto
                ? Fused.FusedTrainingSession.TryCreate(networks, data, options, measurement, device, out _)
                : null;
            if (session is null)
            {
                // One after the other through the path Fit takes: the same models by construction.
                foreach (var net in networks) net.Dispose();
                networks.Clear();
                var models = new List<InrModel>();
                try
                {
                    for (int k = 0; k < data.Count; k++)
                        models.Add(FitWithEngine(data[k], options, measurement, progress is null ? null : new SignalProgress(progress, k), cancellationToken, engine));
                    return models;
                }
                catch
                {
                    foreach (var m in models) m.Dispose();
                    throw;
                }
            }
            var guard = new DivergenceGuard(options, data);
            using (session)
            {
                var losses = Train(session, data.Count, options, progress, cancellationToken, guard);
                for (int k = 0; k < networks.Count; k++) guard.CheckWeights(networks[k], losses[k]);
            }
            return networks.Select(net => new InrModel(net, device)).ToList();
        }
        catch
        {
            foreach (var net in networks) net.Dispose();
            throw;
        }
    }

    // A forward model maps all rendered rows to the observations, so every iteration needs every rendered row.
    static void CheckFullBatch(InrOptions options, IMeasurementOperator measurement)
    {
        if (options.BatchSize is int bs && bs < measurement.InputCount)
            throw new ArgumentException($"BatchSize = {bs} cannot be combined with a measurement operator, which needs all {measurement.InputCount} rendered rows every iteration.", nameof(options));
    }

    static torch.Device Prepare(InrOptions options)
    {
        if (options.Threads is int threads) TorchRuntime.Threads = threads;
        return TorchRuntime.Resolve(options.Device);
    }

    /// <summary>The fused CPU session where it covers the configuration (and <paramref name="engine"/> allows it), else autograd.</summary>
    internal static ITrainingSession CreateSession(IReadOnlyList<IterativeInr> networks, IReadOnlyList<TrainingSet> data, InrOptions options,
        IMeasurementOperator? measurement, Device device, TrainingEngine engine)
    {
        if (engine == TrainingEngine.Auto && Fused.FusedTrainingSession.TryCreate(networks, data, options, measurement, device, out _) is { } fused)
            return fused;
        if (networks.Count != 1) throw new InvalidOperationException("The autograd path trains one network at a time.");
        return new TrainingSession(networks[0], data[0], options, measurement, device);
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

    // watch: a monitor of the one signal trained, and a view of its network. Returns each signal's last loss; every
    // loss is checked before it is reported.
    static double[] Train(ITrainingSession session, int signals, InrOptions o, IProgress<InrProgress>? progress, CancellationToken ct,
        DivergenceGuard guard, (ITrainingMonitor Monitor, InrModel View)? watch = null)
    {
        var clock = Stopwatch.StartNew();
        var losses = new double[signals];
        for (int it = 0; it < o.Iterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            session.Step(it);
            for (int k = 0; k < signals; k++)
            {
                losses[k] = session.LastLoss(k);
                guard.CheckLoss(it, losses[k]);
            }
            if (progress is not null && ((it + 1) % o.ProgressInterval == 0 || it + 1 == o.Iterations))
                for (int k = 0; k < signals; k++)
                    progress.Report(new InrProgress(it + 1, o.Iterations, losses[k], session.Psnr(k), session.LearningRate(it), clock.Elapsed) { Signal = k });
            if (watch is { } w && ((it + 1) % w.Monitor.Interval == 0 || it + 1 == o.Iterations))
            {
                session.Finish(); // the fused step keeps its weights outside the module until asked
                w.View.InEvalMode(view => w.Monitor.Observe(it + 1, view));
            }
        }
        session.Finish();
        if (watch is { } done) done.View.InEvalMode(done.Monitor.Complete);
        return losses;
    }

    sealed class SignalProgress(IProgress<InrProgress> inner, int signal) : IProgress<InrProgress>
    {
        public void Report(InrProgress value) => inner.Report(value with { Signal = signal });
    }
}

/// <summary>Which training step runs: <see cref="Auto"/> takes the fused CPU step where it applies; <see cref="Autograd"/>
/// forces the reference path (tests and the speed benchmark compare the two).</summary>
internal enum TrainingEngine
{
    Auto,
    Autograd,
}
