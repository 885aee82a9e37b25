using System.Numerics;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class VoxelizerTests
{
    private const int Resolution = 48;
    private const double VoxelSize = 2.0 / Resolution;

    // Sampling occupancy at voxel centres misjudges at most the voxels cut by the surface; their net effect
    // stays well within half a voxel layer over the surface (A·h/2): a grid-aligned cube, the worst case,
    // errs by about 0.4·A·h; curved surfaces by far less, since their errors cancel.
    private static double Tolerance(double area) => 0.5 * area * VoxelSize;

    // Shared by the sphere tests: voxelising it is the expensive part (in the Debug build tests run in).
    private static readonly TriangleMesh Sphere = Shapes.IcoSphere(0.8f, subdivisions: 3);
    private static readonly Lazy<OccupancyVolume> SphereVolume = new(() => Voxelizer.Voxelize(Sphere, Resolution));

    [TestMethod]
    public void CubeVolumeMatchesAnalytic()
    {
        var cube = Shapes.Cube(0.6f);
        var volume = Voxelizer.Voxelize(cube, Resolution);
        Assert.AreEqual(1.2 * 1.2 * 1.2, volume.OccupiedFraction * 8, Tolerance(cube.SurfaceArea()));
        // The voxel centres inside (−0.6, 0.6) are x = 10..37: a 28³ block.
        Assert.AreEqual(28 * 28 * 28, volume.CountOccupied());
        Assert.IsTrue(volume[10, 10, 37] && !volume[9, 10, 37] && !volume[10, 38, 20]);
    }

    [TestMethod]
    public void SphereVolumeMatchesAnalyticAndMesh()
    {
        var sphere = Sphere;
        double estimate = SphereVolume.Value.OccupiedFraction * 8;
        Assert.AreEqual(4.0 / 3.0 * Math.PI * 0.8 * 0.8 * 0.8, estimate, Tolerance(sphere.SurfaceArea()));
        // Against the polyhedron's own volume the estimate is an order of magnitude tighter.
        Assert.AreEqual(sphere.SignedVolume(), estimate, 0.1 * Tolerance(sphere.SurfaceArea()));
    }

    [TestMethod]
    public void TorusAndKnotVolumesMatchTheirMeshes()
    {
        foreach (var mesh in new[] { Shapes.Torus(), Shapes.TorusKnot() })
        {
            var volume = Voxelizer.Voxelize(mesh, Resolution);
            Assert.AreEqual(mesh.SignedVolume(), volume.OccupiedFraction * 8, 0.1 * Tolerance(mesh.SurfaceArea()));
        }
    }

    [TestMethod]
    public void SmallHoleBarelyChangesTheResult()
    {
        var sphere = Sphere;
        var top = new Vector3(0, 0, 0.8f);
        // Cut out the triangles around the top: a hole about a fifth of the radius across.
        var holed = sphere.WithoutTriangles(t =>
        {
            var (a, b, c) = sphere.GetTriangle(t);
            return Vector3.Distance((sphere.Vertices[a] + sphere.Vertices[b] + sphere.Vertices[c]) / 3, top) < 0.15f;
        });
        Assert.IsGreaterThan(5, sphere.TriangleCount - holed.TriangleCount);
        Assert.IsFalse(holed.IsWatertight());

        var intact = SphereVolume.Value;
        var damaged = Voxelizer.Voxelize(holed, Resolution);
        Assert.IsGreaterThan(0.995, VolumeMetrics.IoU(intact, damaged));
        Assert.AreEqual(intact.OccupiedFraction * 8, damaged.OccupiedFraction * 8, 0.1 * Tolerance(sphere.SurfaceArea()));
    }

    [TestMethod]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        var knot = Shapes.TorusKnot();
        var serial = Voxelizer.WindingNumbers(knot, 24, maxDegreeOfParallelism: 1);
        var parallel = Voxelizer.WindingNumbers(knot, 24);
        CollectionAssert.AreEqual(serial, parallel);
    }

    [TestMethod]
    public void WindingNumbersAreAboutOneInsideAndZeroOutside()
    {
        var field = Voxelizer.WindingNumbers(Shapes.Cube(0.6f), 16);
        Assert.AreEqual(1f, field[VoxelGrid.Index(8, 8, 8, 16)], 0.1f); // far-field error peaks at the centre
        Assert.AreEqual(0f, field[VoxelGrid.Index(0, 8, 15, 16)], 0.1f);
    }
}
