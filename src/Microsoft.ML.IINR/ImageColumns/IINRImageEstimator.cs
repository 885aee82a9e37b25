using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// The estimator of an image-column step (<see cref="IINRCatalog.SuperResolveImages"/>, <see cref="IINRCatalog.DenoiseImages"/>):
/// it learns nothing from the data (each row gets its own model when it is read), so <see cref="Fit"/> only checks
/// the schema and returns the <see cref="IINRImageTransformer"/>.
/// </summary>
public sealed class IINRImageEstimator : IEstimator<IINRImageTransformer>
{
    private readonly IINRImageTransformer _transformer;

    internal IINRImageEstimator(IINRImageTransformer transformer) => _transformer = transformer;

    /// <summary>
    /// Checks that the input column is an image column and, for a fixed image size, that the output is not too large;
    /// returns the input plus the output image column (of the scaled fixed size, or variable size).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not an image (e.g. a vector of pixel
    /// values), or of a fixed size that gives more than 64 megapixels; the message names the column.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string step = _transformer.Task == IINRImageTask.SuperResolution ? "SuperResolveImages" : "DenoiseImages";
        var input = ImageColumnRequirements.Image(inputSchema, _transformer.InputColumnName, step);
        var output = ImageColumnRequirements.OutputType(_transformer.Step, input, _transformer.InputColumnName, step);
        var columns = inputSchema.Where(c => c.Name != _transformer.OutputColumnName).ToList();
        // SchemaShape.Column's constructor is internal in ML.NET 5.0.1 (see Internal/MLNetInternals).
        columns.Add(new SchemaShape.Column(_transformer.OutputColumnName, SchemaShape.Column.VectorKind.Scalar, output, false));
        return new SchemaShape(columns);
    }

    /// <summary>Checks <paramref name="input"/>'s schema (<see cref="GetOutputSchema"/>) and returns the transformer; nothing is fitted here.</summary>
    /// <param name="input">Data with the input image column.</param>
    /// <exception cref="ArgumentOutOfRangeException">The schema does not suit the step.</exception>
    public IINRImageTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }
}
