using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class MarchingCubesTests
{
    private static float[] SphereField(int n, float radius)
    {
        // Positive inside, so the level-0 isosurface is the sphere and normals point outward.
        var field = new float[n * n * n];
        for (int z = 0; z < n; z++)
            for (int y = 0; y < n; y++)
                for (int x = 0; x < n; x++)
                    field[VoxelGrid.Index(x, y, z, n)] = radius - VoxelGrid.Center(x, y, z, n).Length();
        return field;
    }

    [TestMethod]
    public void SphereIsClosedOutwardAndHasTheRightVolume()
    {
        var mesh = MarchingCubes.Extract(SphereField(48, 0.7f), 48, level: 0f);
        Assert.AreEqual(0, mesh.CountDefectiveEdges());
        Assert.IsGreaterThan(0.0, mesh.SignedVolume());
        double analytic = 4.0 / 3.0 * Math.PI * 0.7 * 0.7 * 0.7;
        Assert.AreEqual(analytic, mesh.SignedVolume(), 0.005 * analytic);
        Assert.AreEqual(4 * Math.PI * 0.7 * 0.7, mesh.SurfaceArea(), 0.03 * 4 * Math.PI * 0.7 * 0.7);
        foreach (var v in mesh.Vertices) Assert.AreEqual(0.7f, v.Length(), 0.01f);
    }

    [TestMethod]
    public void RandomFieldsCoverEveryCaseAndStayWatertight()
    {
        // White noise hits all 256 corner patterns, ambiguous faces included, many times over.
        var random = new Random(2024);
        const int n = 18;
        var seen = new bool[256];
        for (int trial = 0; trial < 2; trial++)
        {
            var field = new float[n * n * n];
            for (int i = 0; i < field.Length; i++) field[i] = random.NextSingle();
            for (int z = 0; z + 1 < n; z++)
                for (int y = 0; y + 1 < n; y++)
                    for (int x = 0; x + 1 < n; x++)
                    {
                        int mask = 0;
                        for (int c = 0; c < 8; c++)
                            if (field[VoxelGrid.Index(x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1), n)] > 0.5f) mask |= 1 << c;
                        seen[mask] = true;
                    }
            var mesh = MarchingCubes.Extract(field, n);
            Assert.AreEqual(0, mesh.CountDefectiveEdges());
            Assert.IsGreaterThan(0.0, mesh.SignedVolume());
        }
        Assert.IsTrue(seen.All(s => s), "every case was exercised");
    }

    [TestMethod]
    public void SurfacesTouchingTheBorderAreClosed()
    {
        const int n = 16;
        var mesh = MarchingCubes.Extract(Enumerable.Repeat(1f, n * n * n).ToArray(), n);
        Assert.IsTrue(mesh.IsWatertight());
        // The full 0/1 block closes halfway to the padding, on the faces of [-1, 1]³, with its edges and
        // corners chamfered by half a voxel: a loss of about 12 edges · length 2 · (1/n)²/2.
        Assert.AreEqual(-1f, mesh.Bounds.Min.X, 1e-6f);
        Assert.AreEqual(1f, mesh.Bounds.Max.Z, 1e-6f);
        Assert.AreEqual(8.0 - 12.0 / (n * n), mesh.SignedVolume(), 2.0 / (n * n));
    }

    [TestMethod]
    public void VoxelizedShapesRoundTripThroughMarchingCubes()
    {
        foreach (var shape in new[] { Shapes.Torus(), Shapes.TorusKnot() })
        {
            var volume = Voxelizer.Voxelize(shape, 24);
            var mesh = MarchingCubes.Extract(volume);
            Assert.IsTrue(mesh.IsWatertight());
            Assert.AreEqual(shape.SignedVolume(), mesh.SignedVolume(), 0.1 * shape.SignedVolume());
        }
    }

    [TestMethod]
    public void EmptyFieldGivesEmptyMeshAndBadInputIsRejected()
    {
        Assert.AreEqual(0, MarchingCubes.Extract(new float[27], 3).TriangleCount);
        Assert.ThrowsExactly<ArgumentException>(() => MarchingCubes.Extract(new float[26], 3));
        Assert.ThrowsExactly<ArgumentException>(() => MarchingCubes.Extract([float.NaN, 0, 0, 0, 0, 0, 0, 0], 2));
        Assert.ThrowsExactly<ArgumentException>(() => MarchingCubes.Extract([float.PositiveInfinity, 0, 0, 0, 0, 0, 0, 0], 2));
    }

    [TestMethod]
    public void NonCubicGridsUseTheirOwnAxes()
    {
        // 4×2×2 block of ones: closes on the faces of [-1, 1]³ whatever the per-axis voxel counts.
        var mesh = MarchingCubes.Extract(Enumerable.Repeat(1f, 16).ToArray(), 4, 2, 2);
        Assert.IsTrue(mesh.IsWatertight());
        Assert.AreEqual(-1f, mesh.Bounds.Min.Y, 1e-6f);
        Assert.AreEqual(1f, mesh.Bounds.Max.X, 1e-6f);
    }
}
