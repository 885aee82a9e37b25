using IINR.Signals.Geometry;

namespace Microsoft.ML.IINR;

/// <summary>
/// The outcome of <c>FitOccupancy</c>: the fitted 3-D occupancy model, its prediction on the R³ grid, the IoU on that
/// grid and, for a mesh, off it (a 2R³ grid and uniform random points), and the surface. Owns the model: dispose the
/// result (or the model) to free its weights.
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

    /// <summary>IoU of <see cref="Field"/> against the grid at <see cref="OccupancyMetrics.DefaultThreshold"/>: with
    /// <see cref="OccupancyTrainingPoints.Grid"/> training, on the very points the model was trained on.</summary>
    public OccupancyMetrics Metrics { get; }

    /// <summary>IoU on the grid twice as fine as <see cref="Field"/>'s (2R per axis), whose voxel centres no R³ grid
    /// shares; null when the fit had no mesh to label it (a volume).</summary>
    public OccupancyMetrics? FineGridMetrics { get; internal init; }

    /// <summary>IoU on points drawn uniformly in [−1, 1]³, independently of the training points
    /// (<see cref="OccupancyFitOptions.TestPointCount"/>, 100k by default): the volumetric IoU of occupancy-network
    /// papers; null when the fit had no mesh to label them (a volume).</summary>
    public OccupancyMetrics? UniformMetrics { get; internal init; }

    /// <summary>What the model was trained on.</summary>
    public OccupancyTrainingPoints TrainingPoints { get; internal init; }

    /// <summary>The number of training points (voxels with <see cref="OccupancyTrainingPoints.Grid"/>).</summary>
    public int TrainingPointCount { get; internal init; }

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
