using System.Diagnostics;
using IINR.Signals.Geometry;
using IINR.Trainers;

namespace IINR.Cli.Tasks;

/// <summary>
/// The occupancy grid to fit, in [-1, 1]³ (<see cref="VoxelGrid"/> convention), and the mapping back to the
/// original coordinates when it came from a mesh.
/// </summary>
public sealed class OccupancyTarget
{
    OccupancyTarget(OccupancyVolume volume, UnitCubeTransform? transform, double voxelizeSeconds)
    {
        Volume = volume; Transform = transform; VoxelizeSeconds = voxelizeSeconds;
    }

    /// <summary>Default gap between a normalised mesh and the faces of [-1, 1]³.</summary>
    public const float DefaultMargin = 0.05f;

    /// <summary>The occupancy grid.</summary>
    public OccupancyVolume Volume { get; }

    /// <summary>The normalisation applied to the mesh (null for a volume given as is).</summary>
    public UnitCubeTransform? Transform { get; }

    /// <summary>Seconds spent voxelising (0 for a volume).</summary>
    public double VoxelizeSeconds { get; }

    /// <summary>Normalises a closed mesh into [-1, 1]³ (keeping <paramref name="margin"/> free) and voxelises it on an
    /// R³ grid by the generalised winding number (robust to small holes).</summary>
    public static OccupancyTarget FromMesh(TriangleMesh mesh, int resolution, float margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (resolution < 2 || resolution > 512)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"The resolution must be between 2 and 512; got {resolution}.");
        if (mesh.TriangleCount == 0) throw new ArgumentException("The mesh has no triangles.", nameof(mesh));
        var clock = Stopwatch.StartNew();
        var normalised = mesh.NormalizeToUnitCube(margin, out var transform);
        var volume = Voxelizer.Voxelize(normalised, resolution);
        return new OccupancyTarget(volume, transform, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A volume used as is (its voxels span [-1, 1]³ along every axis).</summary>
    public static OccupancyTarget FromVolume(OccupancyVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return new OccupancyTarget(volume, null, 0);
    }

    /// <summary>Voxel-centre coordinates (x, y, z) in index order.</summary>
    public float[] Coordinates() => VoxelGrid.Coordinates(Volume.SizeX, Volume.SizeY, Volume.SizeZ);
}

/// <summary>What <see cref="OccupancyTask"/> does.</summary>
/// <param name="Model">Network and training hyperparameters. A null <see cref="InrOptions.BatchSize"/> becomes
/// <see cref="DefaultBatchSize"/> (random coordinate batches: R³ is large).</param>
public sealed record OccupancyOptions(InrOptions Model)
{
    /// <summary>Coordinates per iteration unless the options say otherwise.</summary>
    public const int DefaultBatchSize = 16384;
}

/// <summary>The outcome of <see cref="OccupancyTask"/> (the model takes coordinates in [-1, 1]³). Owns the model: dispose it.</summary>
public sealed class OccupancyResult : TaskResult
{
    internal OccupancyResult(InrModel model, float[] field, double iou, TriangleMesh mesh, double trainSeconds, double inferSeconds,
        IReadOnlyList<CurvePoint> curve)
        : base(model, trainSeconds, inferSeconds, curve)
    {
        Field = field; IoU = iou; Mesh = mesh;
    }

    /// <summary>The predicted occupancy at the voxel centres, index order.</summary>
    public float[] Field { get; }
    /// <summary>Intersection over union of the prediction thresholded at 0.5 with the target grid.</summary>
    public double IoU { get; }
    /// <summary>The 0.5 isosurface of the prediction (marching cubes), in the input's original coordinates.</summary>
    public TriangleMesh Mesh { get; }
}

/// <summary>
/// 3D occupancy: fits an (iterative) INR with D = 3, C = 1 to a 0/1 voxel grid in random coordinate batches, measures
/// the IoU at 0.5 on the same grid and extracts the 0.5 isosurface by marching cubes (watertight by construction).
/// </summary>
public static class OccupancyTask
{
    /// <summary>Fits <paramref name="target"/>.</summary>
    public static OccupancyResult Run(OccupancyTarget target, OccupancyOptions options, ITaskProgress? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var coordinates = target.Coordinates();
        var signal = target.Volume.ToFloatArray();
        var model = options.Model.BatchSize is null ? options.Model with { BatchSize = Math.Min(OccupancyOptions.DefaultBatchSize, signal.Length) } : options.Model;
        var (fitted, curve, trainSeconds) = Training.Fit(new TrainingSet(coordinates, 3, signal, 1), model, null, progress, "occupancy", cancellationToken);
        try
        {
            var clock = Stopwatch.StartNew();
            var field = fitted.Predict(coordinates);
            double inferSeconds = clock.Elapsed.TotalSeconds;
            double iou = VolumeMetrics.IoU(field, signal, 0.5f);
            var v = target.Volume;
            var mesh = MarchingCubes.Extract(field, v.SizeX, v.SizeY, v.SizeZ, 0.5f);
            if (target.Transform is UnitCubeTransform t) mesh = t.FromNormalized(mesh);
            return new OccupancyResult(fitted, field, iou, mesh, trainSeconds, inferSeconds, curve);
        }
        catch
        {
            fitted.Dispose();
            throw;
        }
    }
}
