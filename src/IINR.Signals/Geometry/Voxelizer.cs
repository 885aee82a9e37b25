namespace IINR.Signals.Geometry;

/// <summary>
/// Turns a triangle mesh that lies in [-1, 1]³ (see <see cref="TriangleMesh.NormalizeToUnitCube"/>) into an
/// occupancy grid: voxel (x, y, z) of an R³ grid sits at (−1 + (2x + 1)/R, …) and is stored at index
/// (z·R + y)·R + x (<see cref="VoxelGrid"/>). A voxel is occupied when the generalised winding number at its
/// centre exceeds 0.5, which tolerates small holes, cracks and self-intersections where ray parity
/// would flip whole rows of voxels. The winding numbers come from <see cref="FastWindingNumber"/> (BVH with dipole far field,
/// exact near the surface), computed in parallel over z-slices; results do not depend on the thread count.
/// </summary>
public static class Voxelizer
{
    /// <summary>Occupancy of the R³ voxel centres: generalised winding number &gt; 0.5.</summary>
    /// <param name="mesh">Mesh in normalised coordinates; outward-oriented.</param>
    /// <param name="resolution">R, voxels per axis.</param>
    /// <param name="accuracy">β of <see cref="FastWindingNumber"/>.</param>
    /// <param name="maxDegreeOfParallelism">Thread limit; −1 for the runtime default.</param>
    public static OccupancyVolume Voxelize(TriangleMesh mesh, int resolution,
        double accuracy = FastWindingNumber.DefaultAccuracy, int maxDegreeOfParallelism = -1)
    {
        var field = WindingNumbers(mesh, resolution, accuracy, maxDegreeOfParallelism);
        var occupied = new bool[field.Length];
        for (int i = 0; i < field.Length; i++) occupied[i] = field[i] > 0.5f;
        return new OccupancyVolume(resolution, resolution, resolution, occupied);
    }

    /// <summary>
    /// Generalised winding number at each of the R³ voxel centres, index (z·R + y)·R + x: about 1 inside,
    /// 0 outside, fractional near holes. Usable as a soft occupancy or as a <see cref="MarchingCubes"/> field.
    /// </summary>
    /// <inheritdoc cref="Voxelize" path="/param"/>
    public static float[] WindingNumbers(TriangleMesh mesh, int resolution,
        double accuracy = FastWindingNumber.DefaultAccuracy, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        int r = resolution;
        var field = new float[OccupancyVolume.CheckCube(r)];
        var winding = new FastWindingNumber(mesh, accuracy);
        var centres = new float[r];
        for (int i = 0; i < r; i++) centres[i] = VoxelGrid.Center(i, r);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        // One z-slice per work item: enough items to balance 2–16 cores, each writing its own block.
        Parallel.For(0, r, options, z =>
        {
            for (int y = 0; y < r; y++)
            {
                int row = VoxelGrid.Index(0, y, z, r);
                for (int x = 0; x < r; x++)
                    field[row + x] = (float)winding.Evaluate(new System.Numerics.Vector3(centres[x], centres[y], centres[z]));
            }
        });
        return field;
    }
}
