namespace Microsoft.ML.IINR;

/// <summary>
/// The entry point for implicit neural representations in ML.NET: <c>mlContext.Transforms.IINR</c>.
/// </summary>
/// <example>
/// <code>
/// var data = mlContext.Data.LoadFromImage("photo.png");            // one row per pixel
/// using var model = mlContext.Transforms.IINR.Fit(data, new IINROptions { Iterations = 500 });
/// var metrics = mlContext.Transforms.IINR.Evaluate(model.Transform(data));
/// using var large = model.RenderImage(4 * 256, 4 * 256);           // super-resolution
/// large.Save("photo-4x.png");
/// </code>
/// </example>
public sealed class IINRCatalog
{
    internal IINRCatalog()
    {
    }

    /// <summary>Creates an estimator that fits an (iterative) implicit neural representation.</summary>
    /// <param name="options">Columns and hyperparameters; null = all defaults. Copied and validated here.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public IINREstimator Trainer(IINROptions? options = null) => new(options ?? new IINROptions());

    /// <summary>Fits a model to <paramref name="data"/>: <c>Trainer(options).Fit(data)</c>.</summary>
    /// <param name="data">Coordinates and signal columns (see <see cref="IINREstimator"/>).</param>
    /// <param name="options">Columns and hyperparameters; null = all defaults.</param>
    /// <returns>The fitted transformer; dispose it to free the weights.</returns>
    public IINRTransformer Fit(IDataView data, IINROptions? options = null) => Trainer(options).Fit(data);

    /// <summary>
    /// Reconstruction quality of a scored data view (one that went through an
    /// <see cref="IINRTransformer"/>): <see cref="IINRMetrics.FromDataView"/>.
    /// </summary>
    /// <param name="data">Holds the signal and reconstruction columns.</param>
    /// <param name="signalColumnName">The reference signal column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    public IINRMetrics Evaluate(IDataView data, string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction") =>
        IINRMetrics.FromDataView(data, signalColumnName, reconstructionColumnName);

    /// <summary>
    /// Occupancy quality (IoU) of a scored data view of 3D occupancy: <see cref="OccupancyMetrics.FromDataView"/>.
    /// </summary>
    /// <param name="data">Holds the signal and reconstruction columns, one value per row.</param>
    /// <param name="threshold">A value above it counts as occupied.</param>
    /// <param name="signalColumnName">The reference occupancy column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    public OccupancyMetrics EvaluateOccupancy(IDataView data, float threshold = OccupancyMetrics.DefaultThreshold,
        string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction") =>
        OccupancyMetrics.FromDataView(data, threshold, signalColumnName, reconstructionColumnName);
}
