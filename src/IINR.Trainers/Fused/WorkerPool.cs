namespace IINR.Trainers.Fused;

/// <summary>
/// A fixed set of threads that share out numbered work items: the caller is worker 0 and
/// <c>workers − 1</c> dedicated threads join it. Every worker has MKL's thread count set to 1 for
/// itself, so each multiplies its own chunk on its own core with no OpenMP team behind it. Items
/// are handed out first come, first served; callers write each item's result to a place of its
/// own, so the result does not depend on which worker ran which item.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    readonly Thread[] _threads;
    readonly SemaphoreSlim _start = new(0);
    readonly CountdownEvent _finished = new(1);
    Action<int, int>? _body;
    int _items, _next;
    Exception? _error;
    volatile bool _disposed;

    public WorkerPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        for (int w = 1; w < workers; w++)
        {
            int id = w;
            _threads[w - 1] = new Thread(() => Loop(id)) { IsBackground = true, Name = $"IINR worker {id}" };
            _threads[w - 1].Start();
        }
    }

    /// <summary>Number of workers, the caller included.</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="body"/>(item, worker) for items 0 … <paramref name="items"/> − 1 and returns when all are done.</summary>
    public void Run(int items, Action<int, int> body)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (items <= 0) return;
        int previous = MklBlas.SetThreadsForCurrentThread(1);
        try
        {
            int helpers = Math.Min(_threads.Length, items - 1);
            _body = body; _items = items; _next = 0; _error = null;
            _finished.Reset(helpers + 1);
            if (helpers > 0) _start.Release(helpers);
            Work(0);
            _finished.Wait();
            _body = null;
            if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
        }
        finally
        {
            MklBlas.SetThreadsForCurrentThread(previous);
        }
    }

    void Loop(int worker)
    {
        MklBlas.SetThreadsForCurrentThread(1);
        while (true)
        {
            _start.Wait();
            if (_disposed) return;
            Work(worker);
        }
    }

    void Work(int worker)
    {
        try
        {
            int item;
            while (Volatile.Read(ref _error) is null && (item = Interlocked.Increment(ref _next) - 1) < _items)
                _body!(item, worker);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
        }
        finally
        {
            _finished.Signal();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_threads.Length > 0) _start.Release(_threads.Length);
        foreach (var t in _threads) t.Join();
        _start.Dispose();
        _finished.Dispose();
    }
}
