using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// The <see cref="MLContext"/> behind <c>mlContext.Transforms.IINR</c>, used as ML.NET's own components use it:
/// its log (<see cref="StartChannel"/>), its seed (<see cref="Seed"/>) and its cancellation
/// (<see cref="LinkCancellation"/>). ML.NET keeps the way from a catalog to its environment, and the
/// environment's seed and cancellation flag, internal (see <see cref="MLNetInternals"/>).
/// </summary>
internal sealed class ContextEnvironment
{
    private readonly IHostEnvironment _env;

    private ContextEnvironment(IHostEnvironment env) => _env = env;

    /// <summary>The environment of the context that owns <paramref name="catalog"/>.</summary>
    internal static ContextEnvironment Of(TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MLNetInternals.EnsureCompatible();
        return new ContextEnvironment(EnvironmentOf(catalog));
    }

    /// <summary>The environment ML.NET hands a component it loads (<c>mlContext.Model.Load</c>'s context).</summary>
    internal static ContextEnvironment Of(IHostEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return new ContextEnvironment(env);
    }

    // Non-inlined, like ModelPersistence's: the internal members bind only after EnsureCompatible has had its say.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHostEnvironment EnvironmentOf(TransformsCatalog catalog) => ((IInternalCatalog)catalog).Environment;

    /// <summary>The seed of a fit: <paramref name="given"/>, else the context's seed (<c>new MLContext(seed)</c>), else a random one
    /// (an unseeded context is not deterministic, as in ML.NET).</summary>
    internal int Seed(int? given) => given ?? ContextSeed() ?? Random.Shared.Next();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int? ContextSeed() => (_env as IHostEnvironmentInternal)?.Seed;

    /// <summary>True once the context's execution was cancelled (ML.NET's <c>MLContext.CancelExecution</c>).</summary>
    internal bool IsCanceled
    {
        [MethodImpl(MethodImplOptions.NoInlining)]
        get => (_env as ICancelable)?.IsCanceled == true;
    }

    /// <summary>A channel to the context's log (<see cref="MLContext.Log"/>); dispose it when done.</summary>
    internal IChannel StartChannel() => _env.Start("IINR");

    /// <summary>A token cancelled when <paramref name="token"/> is, or when the context's execution is cancelled
    /// (ML.NET offers a flag, not a token, so it is polled); dispose the result when fitting ends.</summary>
    internal LinkedCancellation LinkCancellation(CancellationToken token) => new(this, token);

    /// <summary>See <see cref="LinkCancellation"/>.</summary>
    internal sealed class LinkedCancellation : IDisposable
    {
        private const int PollMilliseconds = 50;
        private readonly CancellationTokenSource _source;
        private readonly Timer _poll;

        internal LinkedCancellation(ContextEnvironment env, CancellationToken token)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (env.IsCanceled) _source.Cancel();
            var source = _source;
            _poll = new Timer(_ =>
            {
                if (env.IsCanceled)
                {
                    try { source.Cancel(); }
                    catch (ObjectDisposedException) { } // fitting ended meanwhile
                }
            }, null, PollMilliseconds, PollMilliseconds);
        }

        /// <summary>The combined token.</summary>
        internal CancellationToken Token => _source.Token;

        public void Dispose()
        {
            _poll.Dispose();
            _source.Dispose();
        }
    }
}
