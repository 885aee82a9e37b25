using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The state of one training run (Alg. 1): the data on the device, the optimiser, the random
/// generator; <see cref="Step"/> performs one iteration. Used by <see cref="InrTrainer"/> and by the
/// speed benchmark, which times iterations without the set-up.
/// </summary>
internal sealed class TrainingSession : IDisposable
{
    readonly IterativeInr _net;
    readonly InrOptions _o;
    readonly IMeasurementOperator? _op;
    readonly Device _device;
    readonly Tensor _x, _y, _zFixed, _proxy, _loss;
    readonly IReadOnlyList<MeasurementBlock> _blocks;
    readonly Generator _gen;
    readonly AdamOptimizer _optimizer;
    readonly int _n, _m, _c, _batch;
    readonly double _lr0;
    readonly double[] _groupRates; // learning rate of each optimiser group at the first iteration

    public TrainingSession(IterativeInr net, TrainingSet data, InrOptions o, IMeasurementOperator? op, Device device)
    {
        _net = net; _o = o; _op = op; _device = device;
        _n = data.CoordinateCount; _c = data.Channels; _m = data.SignalCount;
        _batch = op is not null ? _n : o.BatchSize is int b ? Math.Min(b, _n) : _n <= o.MaxFullBatch ? _n : o.MaxFullBatch;
        int chunk = device.type == DeviceType.CPU ? o.ChunkSize : int.MaxValue;
        using (NewDisposeScope())
        {
            // Held for the whole run, so kept out of any caller's dispose scope.
            _x = TensorIO.FromSpan(data.Coordinates, _n, data.Dims, device).DetachFromDisposeScope();
            _y = TensorIO.FromSpan(data.Signal, _m, _c, device).DetachFromDisposeScope();
            _zFixed = TensorIO.FromSpan(CoordinateNoise.Sample(data.Coordinates, _n, data.Dims, _c, o.Seed, o.NoiseDistribution), _n, _c, device).DetachFromDisposeScope();
            _proxy = (op?.Lift(_y) ?? _y).DetachFromDisposeScope(); // the signal on the rendered grid, for the training state
            _loss = torch.zeros(1, device: device).DetachFromDisposeScope();
        }
        _blocks = op?.Blocks(chunk) ?? IdentityBlocks(_batch, chunk);
        _gen = new Generator((ulong)(uint)o.Seed ^ 0x5DEECE66DUL, device);
        _lr0 = o.EffectiveLearningRate;
        // One Adam group per folded scale (AdamOptimizer.FoldedGroup keeps the folded layers' updates exact).
        double headLr = o.HeadLearningRate ?? _lr0;
        var groups = net.ParameterGroups().Select(g => AdamOptimizer.FoldedGroup(g.Parameters, g.Head ? headLr : _lr0, g.Scale)).ToList();
        _groupRates = groups.Select(g => g.LearningRate).ToArray();
        _optimizer = new AdamOptimizer(groups);
        net.train();
    }

    /// <summary>The learning rate of iteration <paramref name="it"/> (0-based): exponential decay to the final factor.</summary>
    public double LearningRate(int it) =>
        _lr0 * Math.Pow(_o.FinalLearningRateFactor, _o.Iterations == 1 ? 0 : (double)it / (_o.Iterations - 1));

    /// <summary>One iteration of Alg. 1.</summary>
    public void Step(int it)
    {
        using var scope = NewDisposeScope();
        double lr = LearningRate(it);
        double decay = lr / _lr0;
        for (int k = 0; k < _groupRates.Length; k++) _optimizer.SetLearningRate(k, _groupRates[k] * decay);

        Tensor xb = _x, yb = _y, zb = _zFixed, pb = _proxy;
        if (_batch < _n)
        {
            var idx = torch.randperm(_n, generator: _gen, device: _device).narrow(0, 0, _batch);
            xb = _x.index_select(0, idx); yb = _y.index_select(0, idx); zb = _zFixed.index_select(0, idx); pb = yb;
        }

        Tensor? g = null, t = null;
        if (_net.IsIterative)
        {
            t = _o.TimeSampling == TimeSampling.PerCoordinate
                ? torch.rand([_batch, 1], generator: _gen, device: _device)
                : torch.rand([1, 1], generator: _gen, device: _device);
            var z = _o.Noise == NoiseMode.Fixed ? zb : _o.NoiseDistribution switch
            {
                NoiseDistribution.Gaussian => torch.randn([_batch, _c], generator: _gen, device: _device),
                NoiseDistribution.Zeros => torch.zeros([_batch, _c], device: _device),
                _ => torch.ones([_batch, _c], device: _device),
            };
            var noise = torch.randn([_batch, _c], generator: _gen, device: _device);
            // g̃_t = (1 − t)·I + t·Z + ε·t·n = I + t·(Z − I + ε·n)
            using var eps = _o.StateNoise.ToScalar();
            g = pb.addcmul(t, z.sub(pb).add_(noise, eps), Scalars.One);
        }

        _loss.zero_();
        using var scale = (1.0 / ((double)(_op is null ? _batch : _m) * _c)).ToScalar();
        foreach (var block in _blocks)
        {
            using var inner = NewDisposeScope();
            var xc = xb.narrow(0, block.InputStart, block.InputCount);
            var bb = _net.Backbone(xc);
            var pred = g is null ? bb : _net.Predict(bb, g.narrow(0, block.InputStart, block.InputCount), xc,
                t!.shape[0] == 1 ? t : t.narrow(0, block.InputStart, block.InputCount));
            var outp = _op is null ? pred : _op.Apply(pred, block);
            var loss = outp.sub(yb.narrow(0, block.OutputStart, block.OutputCount)).pow(Scalars.Two).sum().mul_(scale);
            loss.backward();
            _loss.add_(loss.detach(), Scalars.One);
        }
        _optimizer.Step();
    }

    /// <summary>The loss of the last iteration (forces a device sync).</summary>
    public double LastLoss() => _loss.item<float>();

    /// <summary>PSNR (data range 1) of the reconstruction (Alg. 2), seen through the measurement operator, against the observations.</summary>
    public double Psnr()
    {
        _net.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var recon = torch.empty(_zFixed.shape, device: _device);
            ChunkedInference.Run(_net, _x, _zFixed, _o.Steps, recon);
            Tensor seen = recon;
            if (_op is not null)
            {
                var parts = _op.Blocks(ChunkedInference.DefaultChunk)
                    .Select(bl => _op.Apply(recon.narrow(0, bl.InputStart, bl.InputCount), bl)).ToList();
                seen = torch.cat(parts, 0);
            }
            return Metrics.Psnr(seen.sub(_y).pow(Scalars.Two).mean().item<float>());
        }
        finally
        {
            _net.train();
        }
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

    public void Dispose()
    {
        _optimizer.Dispose();
        _gen.Dispose();
        _x.Dispose(); _y.Dispose(); _zFixed.Dispose(); _loss.Dispose();
        if (!ReferenceEquals(_proxy, _y)) _proxy.Dispose();
    }
}
