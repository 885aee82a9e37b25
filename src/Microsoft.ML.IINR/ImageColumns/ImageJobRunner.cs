using System.Collections.Concurrent;
using System.Diagnostics;
using IINR.Signals;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Runs an image step over a sequence of sources with K workers and hands the results back in source order: the
/// one place where image-column steps (<see cref="IINRImageTransformer.Transform"/>'s cursors,
/// <see cref="IINRImageTransformer.Process{TSource}"/>, and so the CLI's folder mode) execute their per-image fits.
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Each job is one call of the step's function on one image, on one worker thread; the
/// function fixes its libtorch thread count and seeds itself from the image (<see cref="ImageStep"/>), so a job's
/// output depends on nothing but its image: not on K, on which worker runs it, or on what runs beside it.</para>
/// <para><b>Order and memory.</b> The consumer calls <see cref="MoveNext"/> and then <see cref="Wait"/> for each job, in
/// source order. Sources are pulled on the consumer's thread (an ML.NET cursor is not thread-safe), at most
/// 2K ahead of the job being consumed, and loaded (the load function) on the worker. With K = 1 there are no
/// threads: a job is loaded and fitted inside <see cref="Wait"/>, on the consumer's thread, only when asked for.</para>
/// <para><b>A batched engine.</b> <see cref="Work"/> takes one job at a time; an engine that fits several same-size
/// images in one network would take the jobs of the window with equal input sizes together there (and
/// <see cref="Execute"/> would split its results), leaving ordering, cancellation and progress as they are.</para>
/// <para><b>Stopping.</b> <see cref="Dispose"/> (or the token) cancels the fits in progress between iterations and
/// waits for the workers to exit.</para>
/// </remarks>
/// <typeparam name="TSource">What a job is made from (a cursor row, a file path).</typeparam>
internal sealed class ImageJobRunner<TSource> : IDisposable
{
    private readonly IEnumerator<TSource> _sources;
    private readonly Func<TSource, SignalImage?> _load;
    private readonly Func<SignalImage, CancellationToken, ImageStepOutput> _fit;
    private readonly Action<ImageJob<TSource>>? _completed;
    private readonly CancellationTokenSource _stop;
    private readonly ContextEnvironment.LinkedCancellation _cancellation;
    private readonly Queue<ImageJob<TSource>> _window = new();
    private readonly BlockingCollection<ImageJob<TSource>>? _work;
    private readonly Thread[] _threads;
    private readonly int _windowSize;
    private long _nextIndex;
    private long _done;
    private bool _sourcesEnded;
    private int _disposed;

    /// <summary>Starts the workers.</summary>
    /// <param name="env">The MLContext, whose cancellation stops the jobs too.</param>
    /// <param name="sources">The sources, pulled lazily on the consumer's thread.</param>
    /// <param name="load">Loads a source's image on the worker; null = no image (the job has no output).</param>
    /// <param name="fit">The step: one image in, its output back; called on the worker.</param>
    /// <param name="workers">K, 1 or more.</param>
    /// <param name="completed">Called on the worker when a job has an output (progress, log).</param>
    /// <param name="cancellationToken">Stops the jobs.</param>
    internal ImageJobRunner(ContextEnvironment env, IEnumerable<TSource> sources, Func<TSource, SignalImage?> load,
        Func<SignalImage, CancellationToken, ImageStepOutput> fit, int workers, Action<ImageJob<TSource>>? completed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _sources = sources.GetEnumerator();
        _load = load;
        _fit = fit;
        _completed = completed;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _cancellation = env.LinkCancellation(_stop.Token);
        _windowSize = workers == 1 ? 1 : 2 * workers;
        _threads = new Thread[workers == 1 ? 0 : workers];
        if (_threads.Length == 0) return;
        _work = new BlockingCollection<ImageJob<TSource>>();
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"IINR image fit {i + 1}/{workers}" };
            _threads[i].Start();
        }
    }

    /// <summary>The job being consumed (after a <see cref="MoveNext"/> that returned true).</summary>
    internal ImageJob<TSource>? Current { get; private set; }

    /// <summary>Advances to the next job in source order (pulling and submitting sources to keep the window full);
    /// false at the end of the sources.</summary>
    internal bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        while (!_sourcesEnded && _window.Count < _windowSize)
        {
            if (!_sources.MoveNext())
            {
                _sourcesEnded = true;
                break;
            }
            var job = new ImageJob<TSource>(_sources.Current, _nextIndex++);
            _window.Enqueue(job);
            _work?.Add(job);
        }
        Current = _window.Count > 0 ? _window.Dequeue() : null;
        return Current is not null;
    }

    /// <summary>Waits for the current job (with K = 1, runs it now) and returns it. A job that failed comes back with
    /// its <see cref="ImageJob{TSource}.Error"/> set; cancellation throws <see cref="OperationCanceledException"/>.</summary>
    internal ImageJob<TSource> Wait()
    {
        var job = Current ?? throw new InvalidOperationException("The runner is not on a job.");
        var token = _cancellation.Token;
        if (_work is null)
        {
            if (!job.Finished.IsSet) Execute(job);
        }
        else
        {
            job.Finished.Wait(token);
        }
        if (job.Error is OperationCanceledException canceled) throw canceled;
        token.ThrowIfCancellationRequested();
        return job;
    }

    // A worker: runs jobs until the queue is closed.
    private void Work()
    {
        foreach (var job in _work!.GetConsumingEnumerable())
            Execute(job);
    }

    private void Execute(ImageJob<TSource> job)
    {
        var token = _cancellation.Token;
        try
        {
            token.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            job.Input = _load(job.Source);
            job.LoadSeconds = clock.Elapsed.TotalSeconds;
            if (job.Input is not null)
            {
                job.Output = _fit(job.Input, token);
                job.RowsDone = Interlocked.Increment(ref _done);
                _completed?.Invoke(job);
            }
        }
        catch (Exception e)
        {
            job.Error = e;
        }
        finally
        {
            job.Finished.Set();
        }
    }

    /// <summary>Cancels what is running, lets the workers exit and waits for them.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _work?.CompleteAdding();
        foreach (var thread in _threads) thread.Join();
        _work?.Dispose();
        _cancellation.Dispose();
        _stop.Dispose();
        _sources.Dispose();
    }
}

/// <summary>One image of an <see cref="ImageJobRunner{TSource}"/>.</summary>
internal sealed class ImageJob<TSource>(TSource source, long index)
{
    /// <summary>What the job was made from.</summary>
    internal TSource Source { get; } = source;

    /// <summary>Its position in the sources, from 0.</summary>
    internal long Index { get; } = index;

    /// <summary>The loaded image; null when the source had none or loading failed.</summary>
    internal SignalImage? Input { get; set; }

    /// <summary>The step's output; null when there was no image or the job failed.</summary>
    internal ImageStepOutput? Output { get; set; }

    /// <summary>Seconds spent in the load function.</summary>
    internal double LoadSeconds { get; set; }

    /// <summary>Jobs with an output finished by the runner when this one finished, this one included.</summary>
    internal long RowsDone { get; set; }

    /// <summary>What went wrong, if anything.</summary>
    internal Exception? Error { get; set; }

    /// <summary>Set when the job is done (or failed, or was cancelled).</summary>
    internal ManualResetEventSlim Finished { get; } = new();
}
