// 3D occupancy with ML.NET: a closed mesh (a generated torus knot, or an OBJ file) is normalised into [-1, 1]³,
// I-SIREN learns occupancy(x, y, z) from points sampled in continuous space (uniform in the box and near the surface,
// labelled inside/outside by the generalised winding number), the IoU of its 0.5 level set is measured off any grid
// (on uniform random points and on a grid twice as fine as R³) and on the R³ grid, and the surface is extracted from
// the model at 2R by marching cubes and saved as an OBJ.
// Usage: dotnet run -c Release --project examples/Occupancy [mesh.obj | resolution = 32] [iterations = 0: the preset's 1000] [outputDirectory = .] [hiddenSize = 0: the preset's 128] [sampled | grid]
using IINR.Signals.Geometry;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace Occupancy;

public static class Program
{
    public static int Main(string[] args)
    {
        // The first argument is a file path or a number (the grid resolution).
        string? path = args.Length > 0 && !int.TryParse(args[0], out _) ? args[0] : null;
        int Arg(int i, int fallback) => args.Length > i && (i > 0 || path is null) ? int.Parse(args[i]) : fallback;
        try
        {
            var training = args.Length > 4 ? Enum.Parse<OccupancyTrainingPoints>(args[4], ignoreCase: true) : OccupancyTrainingPoints.Sampled;
            Run(Arg(0, 32), Arg(1, 0), args.Length > 2 ? args[2] : ".", Arg(3, 0), path, training).Result.Dispose();
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>Fits the mesh's occupancy on <paramref name="points"/> sampled points (or on the R³ grid); returns the fit
    /// (IoU on the R³ grid, the 2R³ grid and uniform random points; dispose it) and the surface extracted from the model at 2R.
    /// <paramref name="iterations"/> and <paramref name="hiddenSize"/> 0 keep the occupancy preset's.</summary>
    public static (IINROccupancyResult Result, TriangleMesh Surface) Run(int resolution, int iterations, string outputDirectory, int hiddenSize = 0,
        string? meshPath = null, OccupancyTrainingPoints training = OccupancyTrainingPoints.Sampled, int points = OccupancyFitOptions.DefaultPointCount)
    {
        var ml = new MLContext(seed: 0);
        var mesh = meshPath is null ? Shapes.TorusKnot() : ObjFile.Read(meshPath);
        var normalised = mesh.NormalizeToUnitCube(0.05f, out var toMesh);   // into [-1, 1]³ with a 5% margin

        var options = IINROptions.ForOccupancy();        // the occupancy preset: 3×128, 1000 iterations of random batches, SIREN ω0 = 15
        options.Model = options.Model with
        {
            Iterations = iterations > 0 ? iterations : options.Model.Iterations,
            HiddenSize = hiddenSize > 0 ? hiddenSize : options.Model.HiddenSize,
            Seed = 0,
        };
        var sampling = new OccupancyFitOptions { Resolution = resolution, TrainingPoints = training, PointCount = points,
            TestPointCount = Math.Min(points, OccupancyFitOptions.DefaultTestPointCount) };
        var result = ml.Transforms.IINR.FitOccupancy(normalised, options, sampling);
        Console.WriteLine($"Trained on {(training == OccupancyTrainingPoints.Grid ? $"the {resolution}³ grid" : $"{result.TrainingPointCount:N0} sampled points")}, {options.Model.Iterations} iterations:");
        Console.WriteLine($"  {result.UniformMetrics!.Count:N0} uniform random points: {result.UniformMetrics}");
        Console.WriteLine($"  {2 * resolution}³ grid:  {result.FineGridMetrics}");
        Console.WriteLine($"  {resolution}³ grid:  {result.Metrics}");

        // The model is continuous: extract its surface on a twice finer grid, back in the mesh's coordinates.
        int fine = 2 * resolution;
        var field = result.Model.Predict(VoxelGrid.Coordinates(fine, fine, fine));
        var surface = toMesh.FromNormalized(MarchingCubes.Extract(field, fine));
        Directory.CreateDirectory(outputDirectory);
        ObjFile.Write(Path.Combine(outputDirectory, "reconstruction.obj"), surface);
        ObjFile.Write(Path.Combine(outputDirectory, "target.obj"), toMesh.FromNormalized(MarchingCubes.Extract(Voxelizer.Voxelize(normalised, fine))));
        Console.WriteLine($"Saved reconstruction.obj ({surface.VertexCount} vertices, {surface.TriangleCount} triangles, " +
            $"{(surface.TriangleCount == 0 ? "empty: train longer" : surface.IsWatertight() ? "watertight" : "not watertight")}) " +
            $"and target.obj ({fine}³) to {Path.GetFullPath(outputDirectory)}");
        return (result, surface);
    }
}
