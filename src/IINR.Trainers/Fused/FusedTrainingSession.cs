using IINR.Signals;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers.Fused;

/// <summary>
/// Alg. 1 on the CPU without autograd, for one signal or several of the same size at once, each
/// with its own weights. Every buffer is allocated once. An iteration draws t, Z and n from each
/// signal's generator exactly as <see cref="TrainingSession"/> does, then splits each signal's
/// batch into chunks and the chunks into a few slots (<see cref="Slots(int, int, int)"/>); the workers take
/// slots (of any signal) first come, first served, and each slot sums its chunks' gradients in
/// order into a buffer of its own. One more parallel pass then adds each signal's slots in slot
/// order and applies Adam to its flat parameter buffer. Signals go through in waves of up to
/// <see cref="WaveSignals"/>, which share the slot buffers. Nothing depends on which worker ran
/// what or on how many signals are trained together: same seed, same bits, alone or in a batch.
/// The thread count enters only through the number of slots (the same for 1 and 2 threads).
/// With super-resolution's forward model (<see cref="AveragePoolOperator"/>) the chunks hold whole
/// rows of observed pixels: each chunk renders its rows, averages them to the observations it
/// covers, and takes the loss's gradient back through the average before the backward pass.
/// </summary>
internal sealed unsafe class FusedTrainingSession : ITrainingSession
{
    /// <summary>Most rows per chunk: a chunk's activations stay in cache, and MKL still runs near its peak.</summary>
    public const int MaxChunkRows = 1024;

    /// <summary>Most rendered rows per observed row of pixels (W·s²) that the fused step takes with a forward model: a chunk holds
    /// at least one such row, and beyond this its per-worker activation buffers grow past what a chunk is meant to be (autograd
    /// trains it).</summary>
    public const int MaxRenderedRowsPerObservedRow = 16384;

    /// <summary>Signals whose slots are in memory at once.</summary>
    public const int WaveSignals = 8;

    const int AdamPiece = 1 << 14;

    readonly FusedNetwork[] _nets;
    readonly Signal[] _signals;
    readonly InrOptions _o;
    readonly WorkerPool _pool;
    readonly BackboneKernel[] _backbones;
    readonly HeadsKernel[] _heads;
    readonly NativeFloats[] _dOut, _prediction, _gatherX, _gatherY, _gatherZ;
    readonly NativeFloats[] _slotSets; // per signal of a wave: slots × parameters
    readonly (int Start, int Length, int Layer)[] _adamPieces;
    readonly float[] _layerRate, _layerEps;
    readonly AveragePoolOperator? _area;
    readonly int _n, _observedRows, _lossRows, _batch, _chunk, _chunks, _slots, _c, _d, _params;
    readonly double _lr0;
    long _step;

    sealed class Signal : IDisposable
    {
        public required NativeFloats Weights, M, V, X, Y, Z;
        public required NativeFloats Observed; // the loss's target: Y itself, or the observations behind a forward model
        public required Generator Generator;
        public required Tensor T, ZDraw, Noise, Permutation; // drawn in place every iteration: their storage never moves
        public required double[] SlotLoss;
        public double Loss;
        public ProgressProbe? Probe;

        public void Dispose()
        {
            if (!ReferenceEquals(Observed, Y)) Observed.Dispose();
            Weights.Dispose(); M.Dispose(); V.Dispose(); X.Dispose(); Y.Dispose(); Z.Dispose();
            Generator.Dispose(); T.Dispose(); ZDraw.Dispose(); Noise.Dispose(); Permutation.Dispose(); Probe?.Dispose();
        }
    }

    FusedTrainingSession(FusedNetwork[] nets, IReadOnlyList<TrainingSet> data, InrOptions o, AveragePoolOperator? area)
    {
        _nets = nets;
        _o = o;
        _area = area;
        var net = nets[0];
        _n = data[0].CoordinateCount; _c = net.Channels; _d = net.Dims;
        // A forward model needs every rendered row every iteration (InrTrainer checks that no smaller batch is asked for).
        _batch = area is not null ? _n : o.BatchSize is int b ? Math.Min(b, _n) : _n <= o.MaxFullBatch ? _n : o.MaxFullBatch;
        _observedRows = area?.OutputCount ?? _n;
        _lossRows = area?.OutputCount ?? _batch;
        int workers = o.Threads ?? Math.Max(1, TorchRuntime.Threads);
        (_chunk, _chunks, _slots) = area is null ? Slots(_batch, o.ChunkSize, workers) : Slots(_batch, o.ChunkSize, workers, area.RenderedRowsPerObservedRow);
        _params = net.ParameterCount;
        _lr0 = o.EffectiveLearningRate;

        // Adam per layer: the head learning rate for FeedbackNet and FuseNet; folded layers at lr·scale and ε/scale (AdamOptimizer.FoldedGroup).
        double headLr = o.HeadLearningRate ?? _lr0;
        _layerRate = net.Layers.Select(l => (float)((l.Head ? headLr : _lr0) * l.Module.LearningRateScale)).ToArray();
        _layerEps = net.Layers.Select(l => (float)(AdamOptimizer.DefaultEps / l.Module.LearningRateScale)).ToArray();
        var pieces = new List<(int, int, int)>();
        for (int li = 0; li < net.Layers.Length; li++)
        {
            var l = net.Layers[li];
            for (int s = l.Weight; s < l.End; s += AdamPiece) pieces.Add((s, Math.Min(AdamPiece, l.End - s), li));
        }
        _adamPieces = pieces.ToArray();

        _signals = new Signal[nets.Length];
        try
        {
            for (int k = 0; k < nets.Length; k++) _signals[k] = CreateSignal(nets[k], data[k]);
            // Each slot writes every gradient value on its first chunk (products with β = 0, assigned sums): nothing to zero.
            _slotSets = Enumerable.Range(0, Math.Min(nets.Length, WaveSignals)).Select(_ => new NativeFloats((long)_slots * _params, zeroed: false)).ToArray();
            _pool = new WorkerPool(workers);
            _backbones = Enumerable.Range(0, _pool.Workers).Select(_ => new BackboneKernel(net, _chunk)).ToArray();
            _heads = Enumerable.Range(0, _pool.Workers).Select(_ => new HeadsKernel(net)).ToArray();
            NativeFloats[] PerWorker(int width) => Enumerable.Range(0, _pool.Workers).Select(_ => new NativeFloats((long)_chunk * width)).ToArray();
            _dOut = PerWorker(_c);
            _prediction = PerWorker(area is null ? 0 : _c);
            bool gather = _batch < _n;
            _gatherX = PerWorker(gather ? _d : 0);
            _gatherY = PerWorker(gather ? _c : 0);
            _gatherZ = PerWorker(gather ? _c : 0);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    Signal CreateSignal(FusedNetwork net, TrainingSet data)
    {
        var y = Copy(data.Signal);
        NativeFloats state;
        try
        {
            state = _area is null ? y : Lift(y);
        }
        catch
        {
            y.Dispose();
            throw;
        }
        var s = new Signal
        {
            Weights = new NativeFloats(_params), M = new NativeFloats(_params), V = new NativeFloats(_params),
            X = Copy(data.Coordinates), Y = state, Observed = y,
            Z = Copy(CoordinateNoise.Sample(data.Coordinates, _n, _d, _c, _o.EffectiveSeed, _o.NoiseDistribution)),
            Generator = new Generator((ulong)(uint)_o.EffectiveSeed ^ 0x5DEECE66DUL, torch.CPU),
            T = torch.empty(_o.TimeSampling == TimeSampling.PerCoordinate ? [_batch, 1] : [1, 1]),
            ZDraw = torch.empty(_batch, _c),
            Noise = torch.empty(_batch, _c),
            Permutation = torch.empty(_n, ScalarType.Int64),
            SlotLoss = new double[_slots],
        };
        net.Pack(s.Weights.Pointer);
        return s;

        // The signal on the rendered grid, for the training state: the operator's stand-in, as the autograd path takes it.
        NativeFloats Lift(NativeFloats observed)
        {
            using var o = TensorIO.FromSpan(observed.Span, _observedRows, _c, torch.CPU);
            using var lifted = _area!.Lift(o);
            var f = new NativeFloats((long)_n * _c);
            TensorIO.ToSpan(lifted, f.Span);
            return f;
        }

        static NativeFloats Copy(float[] values)
        {
            var f = new NativeFloats(values.Length);
            values.CopyTo(f.Span);
            return f;
        }
    }

    /// <summary>How a batch of <paramref name="batch"/> rows is cut for <paramref name="workers"/> workers: max(4, 2 × workers) slots
    /// (enough to balance the workers, few enough that adding them up stays cheap), chunks of about batch / slots rows (a multiple
    /// of 16 between 64 and <see cref="MaxChunkRows"/>, never more than <paramref name="chunkSize"/>), and no more slots than chunks.</summary>
    public static (int ChunkRows, int Chunks, int Slots) Slots(int batch, int chunkSize, int workers)
    {
        int target = Math.Max(4, 2 * workers);
        int rows = (batch + target - 1) / target;
        rows = Math.Max(1, Math.Min(Math.Clamp((rows + 15) / 16 * 16, 64, MaxChunkRows), chunkSize));
        int chunks = (batch + rows - 1) / rows;
        return (rows, chunks, Math.Min(chunks, target));
    }

    /// <summary><see cref="Slots(int, int, int)"/> for chunks of whole units of <paramref name="unitRows"/> rows (the rendered rows of one
    /// observed row of pixels): the chunk rows rounded down to a multiple of the unit, at least one unit.</summary>
    public static (int ChunkRows, int Chunks, int Slots) Slots(int batch, int chunkSize, int workers, int unitRows)
    {
        var (rows, _, _) = Slots(batch, chunkSize, workers);
        rows = Math.Max(1, rows / unitRows) * unitRows;
        int chunks = (batch + rows - 1) / rows;
        return (rows, chunks, Math.Min(chunks, Math.Max(4, 2 * workers)));
    }

    /// <summary>A session for <paramref name="nets"/> (freshly built, one per signal) on <paramref name="data"/>, or null
    /// with the reason when the fused kernels do not cover this configuration (the autograd path runs it).</summary>
    public static FusedTrainingSession? TryCreate(IReadOnlyList<IterativeInr> nets, IReadOnlyList<TrainingSet> data, InrOptions o,
        IMeasurementOperator? op, Device device, out string? reason)
    {
        if (device.type != DeviceType.CPU) { reason = "the device is not the CPU"; return null; }
        if (!MklBlas.IsAvailable) { reason = "libtorch's CPU library exports no MKL on this platform"; return null; }
        var area = op as AveragePoolOperator;
        if (op is not null && area is null) { reason = "only the area-average forward model (AveragePoolOperator) is fused; other measurement operators need autograd"; return null; }
        if (area is not null && area.RenderedRowsPerObservedRow > MaxRenderedRowsPerObservedRow)
        {
            reason = $"a row of observed pixels renders {area.RenderedRowsPerObservedRow} rows, more than the fused step's {MaxRenderedRowsPerObservedRow}";
            return null;
        }
        var fused = new FusedNetwork[nets.Count];
        for (int k = 0; k < nets.Count; k++)
        {
            if (FusedNetwork.TryCreate(nets[k], out reason) is not { } layout) return null;
            fused[k] = layout;
        }
        reason = null;
        return new FusedTrainingSession(fused, data, o, area);
    }

    /// <inheritdoc/>
    public double LearningRate(int it) =>
        _lr0 * Math.Pow(_o.FinalLearningRateFactor, _o.Iterations == 1 ? 0 : (double)it / (_o.Iterations - 1));

    /// <inheritdoc/>
    public void Step(int it)
    {
        _step++;
        foreach (var s in _signals) Draw(s);
        for (int first = 0; first < _signals.Length; first += WaveSignals)
        {
            int count = Math.Min(WaveSignals, _signals.Length - first);
            Backward(first, count);
            Adam(first, count, it);
        }
    }

    /// <summary>The forward and backward passes of the next iteration for the first wave of signals, without the update:
    /// <see cref="Gradient"/> then reads their gradients.</summary>
    internal void ComputeGradients()
    {
        foreach (var s in _signals) Draw(s);
        Backward(0, Math.Min(WaveSignals, _signals.Length));
    }

    // Forward and backward passes of signals first … first+count−1: each slot's gradient sum into its buffer, the losses.
    void Backward(int first, int count)
    {
        _pool.Run(count * _slots, (item, worker) => RunSlot(_signals[first + item / _slots], _slotSets[item / _slots], item % _slots, worker));
        for (int k = first; k < first + count; k++)
        {
            var s = _signals[k];
            double loss = 0;
            for (int slot = 0; slot < _slots; slot++) loss += s.SlotLoss[slot];
            s.Loss = loss / ((double)_lossRows * _c);
        }
    }

    /// <summary>Signal <paramref name="signal"/>'s gradient of the last <see cref="ComputeGradients"/> (the sum of its slots), flat.</summary>
    internal float[] Gradient(int signal)
    {
        float* slots = _slotSets[signal].Pointer;
        var g = new float[_params];
        for (int k = 0; k < _slots; k++)
            for (int i = 0; i < _params; i++) g[i] += slots[(long)k * _params + i];
        return g;
    }

    /// <summary>The flat layout (offsets of every layer), shared by all signals.</summary>
    internal FusedNetwork Layout => _nets[0];

    // Same draws, same order, same generator as TrainingSession: the permutation, t, Z (resampled Gaussian only), n.
    void Draw(Signal s)
    {
        if (_batch < _n) Keep(s.Permutation, torch.randperm(_n, s.Permutation, s.Generator));
        if (!_nets[0].Iterative) return;
        Keep(s.T, s.T.uniform_(0, 1, s.Generator));
        if (_o.Noise == NoiseMode.Resampled)
        {
            switch (_o.NoiseDistribution)
            {
                case NoiseDistribution.Gaussian: Keep(s.ZDraw, s.ZDraw.normal_(0, 1, s.Generator)); break;
                case NoiseDistribution.Zeros: Keep(s.ZDraw, s.ZDraw.zero_()); break;
                default: Keep(s.ZDraw, s.ZDraw.fill_(Scalars.One)); break;
            }
        }
        Keep(s.Noise, s.Noise.normal_(0, 1, s.Generator));
    }

    // An in-place or out= operation may hand back the tensor itself or a second handle to it: free only the latter.
    static void Keep(Tensor target, Tensor result)
    {
        if (!ReferenceEquals(target, result)) result.Dispose();
    }

    void RunSlot(Signal s, NativeFloats slotSet, int slot, int worker)
    {
        int first = slot * _chunks / _slots, end = (slot + 1) * _chunks / _slots;
        var backbone = _backbones[worker];
        var heads = _heads[worker];
        float* grad = slotSet.Pointer + (long)slot * _params;
        float* w = s.Weights.Pointer;
        float* dOut = _dOut[worker].Pointer;
        float scale = (float)(1.0 / ((double)_lossRows * _c));
        heads.BeginSlot();
        double loss = 0;
        for (int chunk = first; chunk < end; chunk++)
        {
            int r0 = chunk * _chunk, n = Math.Min(_chunk, _batch - r0);
            var rows = Rows(s, worker, r0, n);
            backbone.Forward(w, rows.X, n, keepSlopes: true);
            if (_area is { } area)
            {
                // The loss lies beyond the forward model: render the chunk's prediction, take the gradient back through A.
                float* prediction = _prediction[worker].Pointer;
                heads.Predict(w, rows, n, backbone.Output, (float)_o.StateNoise, prediction);
                int unit = area.RenderedRowsPerObservedRow;
                loss += area.Residual(prediction, r0 / unit, n / unit, _c, s.Observed.Pointer, 2 * scale);
                heads.Chunk(w, rows, n, backbone.Output, dOut, scale, (float)_o.StateNoise, prediction);
            }
            else
                loss += heads.Chunk(w, rows, n, backbone.Output, dOut, scale, (float)_o.StateNoise);
            backbone.Backward(w, rows.X, dOut, n, grad, first: chunk == first);
        }
        if (_nets[0].Iterative) heads.EndSlot(grad);
        s.SlotLoss[slot] = loss;
    }

    // The rows r0 … r0+n−1 of this iteration's batch: the data itself for a full batch, gathered through the permutation otherwise.
    ChunkRows Rows(Signal s, int worker, int r0, int n)
    {
        float* t = (float*)Data(s.T) + (_o.TimeSampling == TimeSampling.PerCoordinate ? r0 : 0);
        float* noise = (float*)Data(s.Noise) + (long)r0 * _c;
        float* zDraw = (float*)Data(s.ZDraw) + (long)r0 * _c;
        bool resampled = _o.Noise == NoiseMode.Resampled;
        if (_batch == _n)
            return new ChunkRows
            {
                X = s.X.Pointer + (long)r0 * _d, Y = s.Y.Pointer + (long)r0 * _c, Z = resampled ? zDraw : s.Z.Pointer + (long)r0 * _c,
                Noise = noise, T = t, TimePerRow = _o.TimeSampling == TimeSampling.PerCoordinate,
            };
        long* perm = (long*)Data(s.Permutation) + r0;
        float* x = _gatherX[worker].Pointer, y = _gatherY[worker].Pointer, z = _gatherZ[worker].Pointer;
        for (int i = 0; i < n; i++)
        {
            long src = perm[i];
            for (int j = 0; j < _d; j++) x[i * _d + j] = s.X.Pointer[src * _d + j];
            for (int j = 0; j < _c; j++)
            {
                y[i * _c + j] = s.Y.Pointer[src * _c + j];
                z[i * _c + j] = s.Z.Pointer[src * _c + j];
            }
        }
        return new ChunkRows { X = x, Y = y, Z = resampled ? zDraw : z, Noise = noise, T = t, TimePerRow = _o.TimeSampling == TimeSampling.PerCoordinate };
    }

    static void* Data(Tensor t) => Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    // Adam for signals first … first+count−1 from their slot buffers.
    void Adam(int first, int count, int it)
    {
        double decay = LearningRate(it) / _lr0;
        double bc1 = 1 - Math.Pow(0.9, _step), bc2 = 1 - Math.Pow(0.999, _step);
        float invSqrtBc2 = (float)(1 / Math.Sqrt(bc2));
        _pool.Run(count * _adamPieces.Length, (item, _) =>
        {
            int k = item / _adamPieces.Length;
            var (start, length, layer) = _adamPieces[item % _adamPieces.Length];
            var s = _signals[first + k];
            float negStep = (float)(-_layerRate[layer] * decay / bc1);
            Adam(_slotSets[k].Pointer + start, _slots, _params, s.Weights.Pointer + start, s.M.Pointer + start, s.V.Pointer + start, length,
                negStep, invSqrtBc2, _layerEps[layer]);
        });
    }

    // g = Σ slots (in slot order); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − step·m / (√v/√bc2 + ε): PyTorch's Adam, one pass.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Adam(float* slots, int slotCount, int stride, float* w, float* m, float* v, int length, float negStep, float invSqrtBc2, float eps)
    {
        int lanes = Vector<float>.Count, i = 0;
        var b1 = new Vector<float>(0.9f); var b1c = new Vector<float>(1 - 0.9f);
        var b2 = new Vector<float>(0.999f); var b2c = new Vector<float>(1 - 0.999f);
        var step = new Vector<float>(negStep); var inv = new Vector<float>(invSqrtBc2); var e = new Vector<float>(eps);
        for (; i + lanes <= length; i += lanes)
        {
            var g = Unsafe.ReadUnaligned<Vector<float>>(slots + i);
            for (int k = 1; k < slotCount; k++) g += Unsafe.ReadUnaligned<Vector<float>>(slots + (long)k * stride + i);
            var mv = Unsafe.ReadUnaligned<Vector<float>>(m + i) * b1 + g * b1c;
            var vv = Unsafe.ReadUnaligned<Vector<float>>(v + i) * b2 + g * g * b2c;
            Unsafe.WriteUnaligned(m + i, mv);
            Unsafe.WriteUnaligned(v + i, vv);
            var wv = Unsafe.ReadUnaligned<Vector<float>>(w + i) + step * (mv / (Vector.SquareRoot(vv) * inv + e));
            Unsafe.WriteUnaligned(w + i, wv);
        }
        for (; i < length; i++)
        {
            float g = slots[i];
            for (int k = 1; k < slotCount; k++) g += slots[(long)k * stride + i];
            float mv = m[i] * 0.9f + g * (1 - 0.9f), vv = v[i] * 0.999f + g * g * (1 - 0.999f);
            m[i] = mv; v[i] = vv;
            w[i] += negStep * (mv / (MathF.Sqrt(vv) * invSqrtBc2 + eps));
        }
    }

    /// <inheritdoc/>
    public double LastLoss(int signal = 0) => _signals[signal].Loss;

    /// <inheritdoc/>
    public double Psnr(int signal = 0)
    {
        var s = _signals[signal];
        if (!_nets[signal].Iterative && _batch == _n) return ImageMetrics.Psnr(s.Loss);
        CopyWeightsToModule(signal);
        if (s.Probe is null)
        {
            using var x = TensorIO.FromSpan(new ReadOnlySpan<float>(s.X.Pointer, _n * _d), _n, _d, torch.CPU);
            using var y = TensorIO.FromSpan(new ReadOnlySpan<float>(s.Observed.Pointer, _observedRows * _c), _observedRows, _c, torch.CPU);
            using var z = TensorIO.FromSpan(new ReadOnlySpan<float>(s.Z.Pointer, _n * _c), _n, _c, torch.CPU);
            s.Probe = new ProgressProbe(x, y, z, _area, _o.Steps, _o.ProgressInterval);
        }
        return s.Probe.Psnr(_nets[signal].Network);
    }

    /// <summary>Writes signal <paramref name="signal"/>'s trained weights into its module.</summary>
    public void CopyWeightsToModule(int signal) => _nets[signal].Unpack(_signals[signal].Weights.Pointer);

    /// <inheritdoc/>
    public void Finish()
    {
        for (int k = 0; k < _signals.Length; k++) CopyWeightsToModule(k);
    }

    public void Dispose()
    {
        _pool?.Dispose();
        foreach (var k in _backbones ?? []) k.Dispose();
        foreach (var set in new[] { _dOut, _prediction, _gatherX, _gatherY, _gatherZ, _slotSets })
            foreach (var b in set ?? []) b.Dispose();
        foreach (var s in _signals) s?.Dispose();
    }
}
