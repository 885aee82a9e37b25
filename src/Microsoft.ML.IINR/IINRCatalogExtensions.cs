using Microsoft.ML.IINR;

namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Transforms.IINR</c>, the catalog of implicit neural representations.</summary>
public static class IINRCatalogExtensions
{
    /// <summary>Extension members of <see cref="TransformsCatalog"/>.</summary>
    /// <param name="catalog">The transforms catalog of an <see cref="MLContext"/>.</param>
    extension(TransformsCatalog catalog)
    {
        /// <summary>Implicit neural representations: fit a coordinate network to a signal and query it anywhere (<see cref="IINRCatalog"/>).</summary>
        public IINRCatalog IINR
        {
            get
            {
                ArgumentNullException.ThrowIfNull(catalog);
                return Shared;
            }
        }
    }

    // The catalog is stateless, so one instance serves every context.
    private static readonly IINRCatalog Shared = new();
}
