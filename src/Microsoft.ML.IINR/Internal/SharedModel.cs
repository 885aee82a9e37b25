using IINR.Trainers;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// One fitted <see cref="InrModel"/> (native weights) shared by every <see cref="IINRTransformer"/>
/// made from it (the fitted or loaded one and those from <see cref="IINRTransformer.WithSteps"/>),
/// with a reference count: each transformer holds one reference and gives it back once, on its
/// Dispose; the weights are freed when the last reference is given back.
/// </summary>
internal sealed class SharedModel
{
    private readonly InrModel _model;
    private int _references = 1;

    /// <summary>Wraps a model; the caller holds the first reference.</summary>
    internal SharedModel(InrModel model) => _model = model;

    /// <summary>The model. Valid while the caller holds a reference.</summary>
    internal InrModel Model => _model;

    /// <summary>Takes one more reference; fails once the weights have been freed.</summary>
    internal void AddReference()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _references);
            if (current == 0)
                throw new ObjectDisposedException(nameof(IINRTransformer), "The transformer's weights have been freed: every transformer sharing them was disposed.");
        }
        while (Interlocked.CompareExchange(ref _references, current + 1, current) != current);
    }

    /// <summary>Gives one reference back; the last one frees the weights.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            _model.Dispose();
    }
}
