// 3D occupancy with ML.NET: a closed mesh (a generated torus knot, or an OBJ file) is voxelised into
// an R³ occupancy grid, I-SIREN learns occupancy(x, y, z), the IoU of its 0.5 level set is measured on
// that grid and on a 2× finer one, and the finer surface is extracted by marching cubes and saved as an OBJ.
// Usage: dotnet run -c Release --project examples/Occupancy [mesh.obj | resolution = 32] [iterations = 100] [outputDirectory = .] [hiddenSize = 64]
using IINR.Signals.Geometry;
using Microsoft.ML;
using Microsoft.ML.Data;
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
            Run(Arg(0, 32), Arg(1, 100), args.Length > 2 ? args[2] : ".", Arg(3, 64), path);
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>Fits the mesh's R³ occupancy; returns the IoU on that grid and on a 2R³ grid the model never saw,
    /// and the surface extracted from the 2R³ prediction.</summary>
    public static (OccupancyMetrics Metrics, OccupancyMetrics FineMetrics, TriangleMesh Surface) Run(int resolution, int iterations,
        string outputDirectory, int hiddenSize = 64, string? meshPath = null)
    {
        var ml = new MLContext(seed: 0);
        var mesh = meshPath is null ? Shapes.TorusKnot() : ObjFile.Read(meshPath);
        // Into [-1, 1]³ (5 % margin), then inside/outside at each voxel centre by the winding number.
        var normalised = mesh.NormalizeToUnitCube(0.05f, out var toMesh);
        var volume = Voxelizer.Voxelize(normalised, resolution);
        var data = ml.Data.LoadFromOccupancy(volume);            // one row per voxel: Coordinates (3), Signal (1)

        var options = IINROptions.ForOccupancy();        // the occupancy preset: random coordinate batches
        options.Model = options.Model with { Iterations = iterations, HiddenSize = hiddenSize, Seed = 0 };
        using var model = ml.Transforms.IINR.Fit(data, options);
        var metrics = ml.Transforms.IINR.EvaluateOccupancy(model.Transform(data));
        Console.WriteLine($"{resolution}³ grid, {volume.OccupiedFraction:P1} occupied, {iterations} iterations: {metrics}");

        // The model is continuous: query it on a twice finer grid, whose voxel centres it never saw.
        int fine = 2 * resolution;
        var fineVolume = Voxelizer.Voxelize(normalised, fine);
        var scored = model.Transform(ml.Data.LoadFromOccupancy(fineVolume));
        // The predicted occupancy per voxel (in the grid's order), read once: Transform is lazy, and
        // every read of `scored` would run the network over all (2R)³ voxels again.
        float[] field = ml.Data.CreateEnumerable<Voxel>(scored, reuseRowObject: false).Select(v => v.Reconstruction[0]).ToArray();
        var fineMetrics = OccupancyMetrics.FromArrays(fineVolume.ToFloatArray(), field);
        Console.WriteLine($"{fine}³ grid (unseen): {fineMetrics}");

        // Its 0.5 isosurface, back in the mesh's coordinates.
        var surface = toMesh.FromNormalized(MarchingCubes.Extract(field, fine));
        Directory.CreateDirectory(outputDirectory);
        ObjFile.Write(Path.Combine(outputDirectory, "reconstruction.obj"), surface);
        ObjFile.Write(Path.Combine(outputDirectory, "target.obj"), toMesh.FromNormalized(MarchingCubes.Extract(volume)));
        Console.WriteLine($"Saved reconstruction.obj ({surface.VertexCount} vertices, {surface.TriangleCount} triangles, " +
            $"{(surface.TriangleCount == 0 ? "empty: train longer" : surface.IsWatertight() ? "watertight" : "not watertight")}) " +
            $"and target.obj ({resolution}³) to {Path.GetFullPath(outputDirectory)}");
        return (metrics, fineMetrics, surface);
    }

    private sealed class Voxel
    {
        [VectorType(1)]
        public float[] Reconstruction { get; set; } = [];
    }
}
