using System.Diagnostics;
using System.Numerics;
using IINR.Signals.Geometry;
using IINR.Trainers;

namespace Microsoft.ML.IINR;

/// <summary>
/// 3D occupancy behind <see cref="IINRCatalog.FitOccupancy(TriangleMesh, IINROptions?, OccupancyFitOptions?)"/>: fits
/// occupancy through the estimator (D = 3, C = 1) on points sampled in continuous space or on a voxel grid, scores the
/// IoU at 0.5 on the R³ grid, on the 2R³ grid and on uniform random points, and extracts the 0.5 isosurface of the R³
/// prediction by marching cubes.
/// </summary>
internal static class OccupancyTask
{
    internal static IINROccupancyResult Fit(Internal.ContextEnvironment env, TriangleMesh mesh, IINROptions options, OccupancyFitOptions occupancy)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(occupancy);
        options.Validate();
        occupancy = occupancy.Clone();
        occupancy.Validate();
        var box = new BoundingBox(-Vector3.One, Vector3.One);
        if (mesh.TriangleCount == 0 || !box.Contains(mesh.Bounds.Min) || !box.Contains(mesh.Bounds.Max))
            throw new ArgumentException($"The mesh must have triangles and lie in [−1, 1]³ (its bounds are {mesh.Bounds.Min} to {mesh.Bounds.Max}): " +
                "normalise it first with TriangleMesh.NormalizeToUnitCube.", nameof(mesh));

        var sampler = new OccupancySampler(mesh, maxDegreeOfParallelism: options.Model.Threads ?? -1);
        int r = occupancy.Resolution;
        var grid = sampler.Grid(r);
        var training = occupancy.TrainingPoints == OccupancyTrainingPoints.Grid ? grid
            : sampler.Training(occupancy.PointCount, occupancy.SamplingSeed, occupancy.UniformFraction, occupancy.SurfaceSpread);
        if (training.InsideFraction == 0)
            throw new ArgumentException($"No training point lies inside the mesh ({training.Count} points): an open surface encloses nothing, so there is no shape to fit.", nameof(mesh));

        return FitAndScore(env, options, training, occupancy.TrainingPoints, grid.Occupancy, r, r, r, model =>
        {
            // Scored on points the training never saw: a grid twice as fine, and uniform points of another seed.
            var fine = sampler.Grid(2 * r);
            var uniform = sampler.Uniform(occupancy.TestPointCount, unchecked(occupancy.SamplingSeed + 1));
            return (OccupancyMetrics.FromArrays(fine.Occupancy, model.Predict(fine.Coordinates)),
                OccupancyMetrics.FromArrays(uniform.Occupancy, model.Predict(uniform.Coordinates)));
        });
    }

    internal static IINROccupancyResult Fit(Internal.ContextEnvironment env, OccupancyVolume volume, IINROptions options)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(options);
        var reference = volume.ToFloatArray();
        var training = new OccupancySamples(VoxelGrid.Coordinates(volume.SizeX, volume.SizeY, volume.SizeZ), reference);
        return FitAndScore(env, options, training, OccupancyTrainingPoints.Grid, reference, volume.SizeX, volume.SizeY, volume.SizeZ, score: null);
    }

    static IINROccupancyResult FitAndScore(Internal.ContextEnvironment env, IINROptions options, OccupancySamples training, OccupancyTrainingPoints kind,
        float[] gridReference, int sizeX, int sizeY, int sizeZ, Func<IINRTransformer, (OccupancyMetrics Fine, OccupancyMetrics Uniform)>? score)
    {
        options = options.Clone();
        options.Model = TaskPresets.OccupancyForRun(options.Model);
        var clock = Stopwatch.StartNew();
        var model = new IINREstimator(env, options).Fit(IINRDataLoaders.OccupancySamplesView(training, options.CoordinatesColumnName, options.SignalColumnName));
        double trainSeconds = clock.Elapsed.TotalSeconds;
        try
        {
            clock.Restart();
            var field = model.Predict(VoxelGrid.Coordinates(sizeX, sizeY, sizeZ));
            double inferSeconds = clock.Elapsed.TotalSeconds;
            var metrics = OccupancyMetrics.FromArrays(gridReference, field);
            var surface = MarchingCubes.Extract(field, sizeX, sizeY, sizeZ, metrics.Threshold);
            var offGrid = score?.Invoke(model);
            return new IINROccupancyResult(model, field, metrics, surface, trainSeconds, inferSeconds)
            {
                TrainingPoints = kind,
                TrainingPointCount = training.Count,
                FineGridMetrics = offGrid?.Fine,
                UniformMetrics = offGrid?.Uniform,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
