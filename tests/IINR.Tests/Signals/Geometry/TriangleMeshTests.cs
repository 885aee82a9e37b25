using System.Numerics;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class TriangleMeshTests
{
    // Unit tetrahedron, outward-oriented: volume 1/6.
    private static TriangleMesh Tetrahedron() => new(
        [new Vector3(0, 0, 0), new Vector3(1, 0, 0), new Vector3(0, 1, 0), new Vector3(0, 0, 1)],
        [0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3]);

    [TestMethod]
    public void TetrahedronHasVolumeAreaBoundsAndIsWatertight()
    {
        var mesh = Tetrahedron();
        Assert.AreEqual(1.0 / 6.0, mesh.SignedVolume(), 1e-12);
        Assert.AreEqual(1.5 + Math.Sqrt(3) / 2, mesh.SurfaceArea(), 1e-6);
        Assert.AreEqual(new BoundingBox(Vector3.Zero, Vector3.One), mesh.Bounds);
        Assert.IsTrue(mesh.IsWatertight());
        Assert.AreEqual(-1.0 / 6.0, mesh.WithReversedWinding().SignedVolume(), 1e-12);
    }

    [TestMethod]
    public void FloatConstructorMatchesVectorConstructor()
    {
        var mesh = new TriangleMesh(Tetrahedron().ToCoordinateArray(), Tetrahedron().Triangles);
        CollectionAssert.AreEqual(Tetrahedron().Vertices.ToArray(), mesh.Vertices.ToArray());
        Assert.AreEqual((0, 3, 2), (mesh.GetTriangle(2).A, mesh.GetTriangle(1).C, mesh.GetTriangle(2).C));
    }

    [TestMethod]
    public void WatertightCheckFindsHolesFlipsAndDuplicates()
    {
        var mesh = Tetrahedron();
        var holed = mesh.WithoutTriangles(t => t == 0);
        Assert.IsFalse(holed.IsWatertight());
        Assert.AreEqual(3, holed.CountDefectiveEdges());

        var t = mesh.Triangles.ToArray();
        (t[1], t[2]) = (t[2], t[1]); // flip one triangle: its three edges now run the same way as the neighbours'
        Assert.IsFalse(new TriangleMesh(mesh.Vertices, t).IsWatertight());

        var doubled = mesh.Triangles.ToArray().Concat(mesh.Triangles.ToArray()).ToArray();
        Assert.IsFalse(new TriangleMesh(mesh.Vertices, doubled).IsWatertight());

        var degenerate = mesh.Triangles.ToArray().Concat([1, 1, 2]).ToArray();
        Assert.IsFalse(new TriangleMesh(mesh.Vertices, degenerate).IsWatertight());
    }

    [TestMethod]
    public void ConstructorRejectsBadIndicesAndCoordinates()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new TriangleMesh([Vector3.Zero], [0, 0, 1]));
        Assert.ThrowsExactly<ArgumentException>(() => new TriangleMesh([Vector3.Zero], [0, 0]));
        Assert.ThrowsExactly<ArgumentException>(() => new TriangleMesh([new Vector3(float.NaN, 0, 0)], [0, 0, 0]));
        Assert.ThrowsExactly<ArgumentException>(() => new TriangleMesh(new float[] { 1, 2 }, []));
    }

    [TestMethod]
    public void NormalizeToUnitCubeFitsTheMarginAndMapsBack()
    {
        var mesh = Shapes.Box(new Vector3(3, 1, 2)).MapVertices(v => v + new Vector3(10, -5, 7));
        var normalized = mesh.NormalizeToUnitCube(0.1f, out var transform);

        Assert.AreEqual(0.9f, normalized.Bounds.Max.X, 1e-5f);
        Assert.AreEqual(-0.9f, normalized.Bounds.Min.X, 1e-5f);
        Assert.AreEqual(0.3f, normalized.Bounds.Max.Y, 1e-5f);
        Assert.AreEqual(0f, normalized.Bounds.Center.Length(), 1e-5f);
        Assert.AreEqual(mesh.SignedVolume() * Math.Pow(transform.Scale, 3), normalized.SignedVolume(), 1e-4);

        var back = transform.FromNormalized(normalized);
        for (int i = 0; i < mesh.VertexCount; i++)
            Assert.IsLessThan(1e-4f, Vector3.Distance(mesh.Vertices[i], back.Vertices[i]));
    }

    [TestMethod]
    public void MirroringTransformKeepsOutwardOrientation()
    {
        var mirrored = Tetrahedron().Transformed(Matrix4x4.CreateScale(-1, 2, 1));
        Assert.AreEqual(2.0 / 6.0, mirrored.SignedVolume(), 1e-6);
        Assert.IsTrue(mirrored.IsWatertight());
    }
}
