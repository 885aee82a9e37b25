using IINR.Signals.Geometry;

namespace Microsoft.ML.IINR;

/// <summary>
/// The outcome of <see cref="IINRCatalog.FitOccupancy"/>: the fitted 3-D occupancy model, its prediction on the
/// grid, the IoU against the grid and the surface. Owns the model: dispose the result (or the model) to free its weights.
/// </summary>
public sealed class IINROccupancyResult : IDisposable
{
    internal IINROccupancyResult(IINRTransformer model, float[] field, OccupancyMetrics metrics, TriangleMesh surface, double trainSeconds, double inferSeconds)
    {
        Model = model; Field = field; Metrics = metrics; Surface = surface; TrainSeconds = trainSeconds; InferSeconds = inferSeconds;
    }

    /// <summary>The fitted model: coordinates in [−1, 1]³ to occupancy; query it on any grid with <c>Transform</c> or <see cref="IINRTransformer.Predict(ReadOnlySpan{float})"/>.</summary>
    public IINRTransformer Model { get; }

    /// <summary>The predicted occupancy at the grid's voxel centres, in <see cref="VoxelGrid"/> order (x fastest).</summary>
    public float[] Field { get; }

    /// <summary>IoU of <see cref="Field"/> against the grid at <see cref="OccupancyMetrics.DefaultThreshold"/>.</summary>
    public OccupancyMetrics Metrics { get; }

    /// <summary>The 0.5 isosurface of <see cref="Field"/> by marching cubes, in the grid's [−1, 1]³ coordinates (watertight by
    /// construction); <see cref="UnitCubeTransform.FromNormalized(TriangleMesh)"/> maps it back to a normalised mesh's coordinates.</summary>
    public TriangleMesh Surface { get; }

    /// <summary>Wall time of fitting in seconds (including the training progress reports).</summary>
    public double TrainSeconds { get; }

    /// <summary>Wall time of predicting <see cref="Field"/>, in seconds.</summary>
    public double InferSeconds { get; }

    /// <summary>Frees the model's weights.</summary>
    public void Dispose() => Model.Dispose();
}
