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
        if (options.Threads is int threads) TorchRuntime.Threads = threads;
        var device = TorchRuntime.Resolve(options.Device);

        IterativeInr network;
        using (var init = new Generator((ulong)(uint)options.Seed))
            network = new IterativeInr(options, data.Dims, c, init);
        try
        {
            if (device.type != DeviceType.CPU) network.to(device);
            Train(network, data, options, measurement, device, progress, cancellationToken);
            return new InrModel(network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    static void Train(IterativeInr net, TrainingSet data, InrOptions o, IMeasurementOperator? op, Device device,
        IProgress<InrProgress>? progress, CancellationToken ct)
    {
        int n = data.CoordinateCount, c = data.Channels, m = data.SignalCount;
        int batch = op is not null ? n : o.BatchSize is int b ? Math.Min(b, n) : n <= o.MaxFullBatch ? n : o.MaxFullBatch;
        bool full = batch == n;
        int chunk = device.type == DeviceType.CPU ? o.ChunkSize : int.MaxValue;
        float eps = (float)o.StateNoise;

        using var scopeAll = NewDisposeScope();
        var x = TensorIO.FromSpan(data.Coordinates, n, data.Dims, device);
        var y = TensorIO.FromSpan(data.Signal, m, c, device);
        var zFixed = TensorIO.FromSpan(CoordinateNoise.Sample(data.Coordinates, n, data.Dims, c, o.Seed, o.NoiseDistribution), n, c, device);
        var proxy = op?.Lift(y) ?? y; // the signal on the rendered grid, for the training state
        var blocks = op?.Blocks(chunk) ?? IdentityBlocks(batch, chunk);
        using var gen = new Generator((ulong)(uint)o.Seed ^ 0x5DEECE66DUL, device);
        using var optimizer = optim.Adam(net.parameters(), lr: o.EffectiveLearningRate);
        double lr0 = o.EffectiveLearningRate;
        var clock = Stopwatch.StartNew();

        net.train();
        for (int it = 0; it < o.Iterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            double lr = lr0 * Math.Pow(o.FinalLearningRateFactor, o.Iterations == 1 ? 0 : (double)it / (o.Iterations - 1));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            Tensor xb = x, yb = y, zb = zFixed, pb = proxy;
            if (!full)
            {
                var idx = torch.randperm(n, generator: gen, device: device).narrow(0, 0, batch);
                xb = x.index_select(0, idx); yb = y.index_select(0, idx); zb = zFixed.index_select(0, idx); pb = yb;
            }

            Tensor? g = null, t = null;
            if (net.IsIterative)
            {
                t = o.TimeSampling == TimeSampling.PerCoordinate
                    ? torch.rand([batch, 1], generator: gen, device: device)
                    : torch.rand([1, 1], generator: gen, device: device);
                var z = o.Noise == NoiseMode.Fixed ? zb : o.NoiseDistribution switch
                {
                    NoiseDistribution.Gaussian => torch.randn([batch, c], generator: gen, device: device),
                    NoiseDistribution.Zeros => torch.zeros([batch, c], device: device),
                    _ => torch.ones([batch, c], device: device),
                };
                var noise = torch.randn([batch, c], generator: gen, device: device);
                // g̃_t = (1 − t)·I + t·Z + ε·t·n = I + t·(Z − I + ε·n)
                g = pb.addcmul(t, z.sub(pb).add_(noise, eps), 1);
            }

            var lossSum = torch.zeros(1, device: device);
            double scale = 1.0 / ((double)(op is null ? batch : m) * c);
            foreach (var block in blocks)
            {
                using var inner = NewDisposeScope();
                var xc = xb.narrow(0, block.InputStart, block.InputCount);
                var bb = net.Backbone(xc);
                var pred = g is null ? bb : net.Predict(bb, g.narrow(0, block.InputStart, block.InputCount), xc,
                    t!.shape[0] == 1 ? t : t.narrow(0, block.InputStart, block.InputCount));
                var outp = op is null ? pred : op.Apply(pred, block);
                var loss = outp.sub(yb.narrow(0, block.OutputStart, block.OutputCount)).square().sum().mul_(scale);
                loss.backward();
                lossSum.add_(loss.detach());
            }
            optimizer.step();
            optimizer.zero_grad();

            if (progress is not null && ((it + 1) % o.ProgressInterval == 0 || it + 1 == o.Iterations))
            {
                double psnr = Psnr(net, x, zFixed, y, o.Steps, op);
                net.train();
                progress.Report(new InrProgress(it + 1, o.Iterations, lossSum.item<float>(), psnr, lr, clock.Elapsed));
            }
        }
        net.eval();
    }

    static List<MeasurementBlock> IdentityBlocks(int rows, int chunk)
    {
        var list = new List<MeasurementBlock>();
        for (int s = 0; s < rows; s += chunk)
        {
            int len = Math.Min(chunk, rows - s);
            list.Add(new MeasurementBlock(s, len, s, len));
        }
        return list;
    }

    /// <summary>PSNR (data range 1) of the reconstruction, seen through the measurement operator, against the observations.</summary>
    static double Psnr(IterativeInr net, Tensor x, Tensor z, Tensor y, int steps, IMeasurementOperator? op)
    {
        net.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var recon = torch.empty(z.shape, device: z.device);
        ChunkedInference.Run(net, x, z, steps, recon);
        Tensor seen = recon;
        if (op is not null)
        {
            var parts = op.Blocks(ChunkedInference.DefaultChunk)
                .Select(bl => op.Apply(recon.narrow(0, bl.InputStart, bl.InputCount), bl)).ToList();
            seen = torch.cat(parts, 0);
        }
        double mse = seen.sub(y).square().mean().item<float>();
        return Metrics.Psnr(mse);
    }
}
