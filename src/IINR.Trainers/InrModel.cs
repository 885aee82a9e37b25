using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// A fitted (iterative) implicit neural representation: query it at any coordinates. Inference is
/// Alg. 2 with the coordinate-seeded start state Z, so the same coordinate always gives the same
/// output. Safe to call from several threads (calls are serialised: libtorch already uses every core).
/// </summary>
public sealed class InrModel : IDisposable
{
    readonly object _gate = new();
    readonly IterativeInr _network;
    readonly bool _ownsNetwork;
    bool _disposed;

    // ownsNetwork = false: a view of a network still being trained (for a training monitor); disposing it frees nothing.
    internal InrModel(IterativeInr network, Device device, bool ownsNetwork = true)
    {
        _network = network;
        _ownsNetwork = ownsNetwork;
        TorchDevice = device;
        network.eval();
    }

    // For a training monitor: the view predicts in eval mode, then training resumes in train mode.
    internal void InEvalMode(Action<InrModel> action)
    {
        _network.eval();
        try { action(this); }
        finally { _network.train(); }
    }

    /// <summary>The hyperparameters the model was trained with.</summary>
    public InrOptions Options => _network.Options;

    /// <summary>D, values per coordinate.</summary>
    public int InputDims => _network.InputDims;

    /// <summary>C, values per output row.</summary>
    public int Channels => _network.Channels;

    /// <summary>Where the weights live: <see cref="ComputeDevice.Cpu"/> or <see cref="ComputeDevice.Cuda"/>.</summary>
    public ComputeDevice Device => TorchDevice.type == DeviceType.CPU ? ComputeDevice.Cpu : ComputeDevice.Cuda;

    internal Device TorchDevice { get; }

    internal IterativeInr Network => _network;

    /// <summary>Trainable parameters of the backbone (complex parameters count twice).</summary>
    public long BackboneParameterCount => _network.BackboneParameterCount;

    /// <summary>Trainable parameters of FeedbackNet and FuseNet.</summary>
    public long HeadParameterCount => _network.HeadParameterCount;

    /// <summary>Evaluates the model at <paramref name="coordinates"/> (N×D, row-major) with
    /// <paramref name="steps"/> inference steps (default: the trained setting); returns N×C values.</summary>
    public float[] Predict(ReadOnlySpan<float> coordinates, int? steps = null)
    {
        var output = new float[checked(coordinates.Length / Math.Max(1, InputDims) * Channels)];
        Predict(coordinates, output, steps);
        return output;
    }

    /// <summary>Evaluates the model at <paramref name="coordinates"/> (N×D) into <paramref name="destination"/> (N×C).</summary>
    public void Predict(ReadOnlySpan<float> coordinates, Span<float> destination, int? steps = null) =>
        Predict(coordinates, destination, steps, reference: false);

    /// <summary>Rows evaluated per call of the network: every tensor of a call (coordinates, start states, outputs) stays
    /// small whatever the request's size. A multiple of the inference chunk, so banding changes no result.</summary>
    internal const int BandRows = 1 << 18;

    // reference: run everything through libtorch on the CPU too (the reference path; the speed benchmark compares).
    internal void Predict(ReadOnlySpan<float> coordinates, Span<float> destination, int? steps, bool reference)
    {
        int s = steps ?? Options.Steps;
        if (s < 1 || s > InrOptions.MaxSteps) throw new ArgumentOutOfRangeException(nameof(steps), s, $"Inference steps must be between 1 and {InrOptions.MaxSteps}.");
        if (coordinates.Length % InputDims != 0)
            throw new ArgumentException($"The coordinates hold {coordinates.Length} values, not a multiple of D = {InputDims}.", nameof(coordinates));
        int n = coordinates.Length / InputDims;
        if (destination.Length < (long)n * Channels)
            throw new ArgumentException($"The destination holds {destination.Length} values; {n} rows × {Channels} channels need {(long)n * Channels}.", nameof(destination));
        TrainingSet.CheckFinite(coordinates, InputDims, nameof(coordinates));
        for (int r = 0; r < n; r += BandRows)
        {
            int rows = Math.Min(BandRows, n - r);
            PredictBand(coordinates.Slice(r * InputDims, rows * InputDims), destination.Slice(r * Channels, rows * Channels), rows, s, reference);
        }
    }

    void PredictBand(ReadOnlySpan<float> coordinates, Span<float> destination, int n, int s, bool reference)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // The fused path draws the start state Z chunk by chunk on its workers.
            if (!reference && TorchDevice.type == DeviceType.CPU
                && Fused.FusedInference.TryRun(_network, coordinates, default, n, s, destination, TorchRuntime.Threads))
                return;
            // The plain backbone has no start state: it pays for no noise.
            var z = _network.IsIterative ? CoordinateNoise.Sample(coordinates, n, InputDims, Channels, Options.EffectiveSeed, Options.NoiseDistribution) : null;
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = TensorIO.FromSpan(coordinates, n, InputDims, TorchDevice);
            var zt = z is null ? null : TensorIO.FromSpan(z, n, Channels, TorchDevice);
            var y = torch.empty([n, Channels], ScalarType.Float32, TorchDevice);
            ChunkedInference.Run(_network, x, zt, s, y, reference: reference);
            TensorIO.ToSpan(y, destination);
        }
    }

    /// <summary>Writes the model (hyperparameters and weights) as an IINR checkpoint stream.</summary>
    public void Save(Stream stream)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            InrCheckpoint.Write(stream, _network);
        }
    }

    /// <summary>Reads a model from an IINR checkpoint stream onto <paramref name="device"/>.</summary>
    public static InrModel Load(Stream stream, ComputeDevice device = ComputeDevice.Auto)
    {
        var d = TorchRuntime.Resolve(device);
        return new InrModel(InrCheckpoint.Read(stream, d), d);
    }

    /// <summary>Frees the native weights.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (_ownsNetwork) _network.Dispose();
        }
    }
}
