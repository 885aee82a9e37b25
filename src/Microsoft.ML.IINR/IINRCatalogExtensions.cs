using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Transforms.IINR</c>, the catalog of implicit neural representations.</summary>
public static class IINRCatalogExtensions
{
    /// <summary>Extension members of <see cref="TransformsCatalog"/>.</summary>
    /// <param name="catalog">The transforms catalog of an <see cref="MLContext"/>.</param>
    extension(TransformsCatalog catalog)
    {
        /// <summary>Implicit neural representations: fit a coordinate network to a signal and query it anywhere
        /// (<see cref="IINRCatalog"/>). Its components use this catalog's <see cref="MLContext"/>: its log, seed and cancellation.</summary>
        public IINRCatalog IINR => new(ContextEnvironment.Of(catalog));
    }
}
