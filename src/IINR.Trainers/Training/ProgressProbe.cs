using IINR.Signals;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The training PSNR that progress reports carry, at a small, fixed cost: the reconstruction
/// (Alg. 2) is evaluated on a fixed, evenly spaced subsample of the training coordinates (with a
/// measurement operator, on evenly spaced blocks of rendered rows) and compared with the
/// observations there. The subsample is sized so that all reports together cost about 1% of the
/// training (<see cref="SampleRows"/>).
/// </summary>
internal sealed class ProgressProbe : IDisposable
{
    /// <summary>Most rows the probe evaluates.</summary>
    public const int MaxRows = 4096;

    /// <summary>Rows evaluated per report for <paramref name="n"/> training rows and a report every <paramref name="interval"/>
    /// iterations: a forward pass costs about a third of a training step per row, so n·interval/32 rows per report add about
    /// 1%; at least 64 rows (or all), at most <see cref="MaxRows"/>.</summary>
    public static int SampleRows(int n, int interval) => (int)Math.Min(n, Math.Min(MaxRows, Math.Max(64, (long)n * interval / 32)));

    readonly Tensor _x, _y, _z;
    readonly IMeasurementOperator? _op;
    readonly MeasurementBlock[] _blocks; // with a measurement operator: blocks relative to the gathered rows
    readonly int _steps;

    /// <summary>Picks the subsample of <paramref name="x"/> (N×D), <paramref name="z"/> (N×C) and
    /// <paramref name="y"/> (the observations) once, for reports every <paramref name="interval"/> iterations;
    /// the tensors stay the caller's.</summary>
    public ProgressProbe(Tensor x, Tensor y, Tensor z, IMeasurementOperator? op, int steps, int interval)
    {
        int rows = SampleRows((int)x.shape[0], interval);
        _op = op;
        _steps = steps;
        using var scope = NewDisposeScope();
        if (op is null)
        {
            long n = x.shape[0];
            using var idx = Evenly(n, rows, x.device);
            _x = x.index_select(0, idx).DetachFromDisposeScope();
            _y = y.index_select(0, idx).DetachFromDisposeScope();
            _z = z.index_select(0, idx).DetachFromDisposeScope();
            _blocks = [];
            return;
        }
        var all = op.Blocks(1);
        int take = Math.Clamp(rows / Math.Max(1, all[0].InputCount), 1, all.Count);
        var chosen = Enumerable.Range(0, take).Select(i => all[(int)((long)i * all.Count / take)]).ToArray();
        var inputs = new List<Tensor>(); var zs = new List<Tensor>(); var outputs = new List<Tensor>();
        var blocks = new List<MeasurementBlock>();
        int inAt = 0, outAt = 0;
        foreach (var b in chosen)
        {
            inputs.Add(x.narrow(0, b.InputStart, b.InputCount));
            zs.Add(z.narrow(0, b.InputStart, b.InputCount));
            outputs.Add(y.narrow(0, b.OutputStart, b.OutputCount));
            blocks.Add(new MeasurementBlock(inAt, b.InputCount, outAt, b.OutputCount));
            inAt += b.InputCount; outAt += b.OutputCount;
        }
        _x = torch.cat(inputs, 0).DetachFromDisposeScope();
        _z = torch.cat(zs, 0).DetachFromDisposeScope();
        _y = torch.cat(outputs, 0).DetachFromDisposeScope();
        _blocks = blocks.ToArray();
    }

    static Tensor Evenly(long n, long count, Device device)
    {
        var idx = new long[count];
        for (long i = 0; i < count; i++) idx[i] = i * n / count;
        return torch.tensor(idx, device: device);
    }

    /// <summary>PSNR (data range 1) of <paramref name="net"/>'s reconstruction on the subsample.</summary>
    public double Psnr(IterativeInr net)
    {
        bool training = net.training;
        net.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var recon = torch.empty(_z.shape, device: _z.device);
            ChunkedInference.Run(net, _x, net.IsIterative ? _z : null, _steps, recon);
            var seen = _op is null ? recon : torch.cat(_blocks.Select(b => _op.Apply(recon.narrow(0, b.InputStart, b.InputCount), b)).ToList(), 0);
            return ImageMetrics.Psnr(seen.sub(_y).pow(Scalars.Two).mean().item<float>());
        }
        finally
        {
            if (training) net.train();
        }
    }

    public void Dispose()
    {
        _x.Dispose(); _y.Dispose(); _z.Dispose();
    }
}
