using System.Diagnostics;
using IINR.Signals.Geometry;

namespace Microsoft.ML.IINR;

/// <summary>
/// 3D occupancy behind <see cref="IINRCatalog.FitOccupancy"/>: fits the 0/1 voxel grid through the estimator (D = 3,
/// C = 1), predicts the grid, measures the IoU at 0.5 and extracts the 0.5 isosurface by marching cubes.
/// </summary>
internal static class OccupancyTask
{
    internal static IINROccupancyResult Fit(Internal.ContextEnvironment env, OccupancyVolume volume, IINROptions options)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var model = new IINREstimator(env, options).Fit(IINRDataLoaders.OccupancyView(volume, options.CoordinatesColumnName, options.SignalColumnName));
        double trainSeconds = clock.Elapsed.TotalSeconds;
        try
        {
            clock.Restart();
            var field = model.Predict(VoxelGrid.Coordinates(volume.SizeX, volume.SizeY, volume.SizeZ));
            double inferSeconds = clock.Elapsed.TotalSeconds;
            var metrics = OccupancyMetrics.FromArrays(volume.ToFloatArray(), field);
            var surface = MarchingCubes.Extract(field, volume.SizeX, volume.SizeY, volume.SizeZ, metrics.Threshold);
            return new IINROccupancyResult(model, field, metrics, surface, trainSeconds, inferSeconds);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
