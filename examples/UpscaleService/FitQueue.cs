namespace UpscaleService;

/// <summary>
/// Admits at most <c>concurrentFits + queueLength</c> requests at once: <see cref="TryEnterAsync"/> refuses the next
/// one at once (the service answers 503) instead of letting requests pile up behind minutes of CPU work.
/// </summary>
public sealed class FitQueue(int concurrentFits, int queueLength)
{
    private readonly SemaphoreSlim _fits = new(concurrentFits, concurrentFits);
    private readonly int _capacity = concurrentFits + queueLength;
    private int _admitted;
    private long _completed, _cancelled, _refused;

    /// <summary>Requests admitted and not yet done (running or waiting).</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Requests whose fit finished.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Requests cancelled (the client went away) while waiting or fitting.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Requests refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Waits for a fit slot; null when the queue is full. Dispose the slot when the fit is done.</summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting (not counted here: see <see cref="CountCancelled"/>).</exception>
    public async Task<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _refused);
            return null;
        }
        try
        {
            await _fits.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }
        return new Slot(this);
    }

    /// <summary>Counts a fit that finished.</summary>
    public void CountCompleted() => Interlocked.Increment(ref _completed);

    /// <summary>Counts a request cancelled while it waited or fitted.</summary>
    public void CountCancelled() => Interlocked.Increment(ref _cancelled);

    private sealed class Slot(FitQueue queue) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            queue._fits.Release();
            Interlocked.Decrement(ref queue._admitted);
        }
    }
}
