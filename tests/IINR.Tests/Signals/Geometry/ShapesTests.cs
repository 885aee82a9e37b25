using System.Numerics;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class ShapesTests
{
    public static IEnumerable<object[]> DefaultShapes() =>
    [
        ["UvSphere", Shapes.UvSphere()],
        ["IcoSphere", Shapes.IcoSphere()],
        ["Cube", Shapes.Cube()],
        ["Torus", Shapes.Torus()],
        ["TorusKnot", Shapes.TorusKnot()],
    ];

    [TestMethod]
    [DynamicData(nameof(DefaultShapes))]
    public void DefaultShapeIsClosedOutwardSmallAndInsideTheUnitCube(string name, TriangleMesh mesh)
    {
        Assert.AreEqual(0, mesh.CountDefectiveEdges(), name);
        Assert.IsGreaterThan(0.0, mesh.SignedVolume(), name);
        Assert.IsInRange(1000, 50_000, mesh.TriangleCount, name);
        Assert.IsTrue(new BoundingBox(-Vector3.One, Vector3.One).Contains(mesh.Bounds.Min), name);
        Assert.IsTrue(new BoundingBox(-Vector3.One, Vector3.One).Contains(mesh.Bounds.Max), name);
    }

    [TestMethod]
    public void VolumesApproachTheAnalyticValues()
    {
        double sphere = 4.0 / 3.0 * Math.PI * 0.8 * 0.8 * 0.8;
        // Inscribed polyhedra lose a little volume: about 1% at these resolutions.
        Assert.AreEqual(sphere, Shapes.UvSphere().SignedVolume(), 0.015 * sphere);
        Assert.AreEqual(sphere, Shapes.IcoSphere(subdivisions: 4).SignedVolume(), 0.005 * sphere);
        Assert.AreEqual(1.728, Shapes.Cube().SignedVolume(), 1e-4);
        double torus = 2 * Math.PI * Math.PI * 0.6 * 0.25 * 0.25;
        Assert.AreEqual(torus, Shapes.Torus().SignedVolume(), 0.015 * torus);
        // A tube's volume is its cross-section times the length of its axis; the default knot is a round tube.
        var knot = Shapes.TorusKnot();
        double length = KnotLength(2, 3, 0.27, 100_000);
        Assert.AreEqual(Math.PI * 0.12 * 0.12 * length, knot.SignedVolume(), 0.005 * knot.SignedVolume());
    }

    [TestMethod]
    [DataRow("UvSphere", 1106, 2208, 2.1293934611858707)]
    [DataRow("IcoSphere", 642, 1280, 2.126203406442747)]
    [DataRow("Cube", 1538, 3072, 1.7280002059936512)]
    [DataRow("Torus", 1536, 3072, 0.7306186517988285)]
    [DataRow("TorusKnot", 24576, 49152, 0.3885059019043715)]
    public void TheShapesOfTheDocumentedResultsAreUnchanged(string name, int vertices, int triangles, double volume)
    {
        // The occupancy results in docs/ and the CLI's built-in meshes use these defaults: a change must be deliberate.
        var mesh = (TriangleMesh)DefaultShapes().Single(row => (string)row[0] == name)[1];
        Assert.AreEqual((vertices, triangles), (mesh.VertexCount, mesh.TriangleCount), name);
        Assert.AreEqual(volume, mesh.SignedVolume(), 1e-9 * volume, name);
    }

    private static double KnotLength(int p, int q, double scale, int steps)
    {
        double length = 0;
        Vector3 Point(double t) => new(
            (float)(scale * (2 + Math.Cos(q * t)) * Math.Cos(p * t)),
            (float)(scale * (2 + Math.Cos(q * t)) * Math.Sin(p * t)),
            (float)(scale * Math.Sin(q * t)));
        for (int i = 0; i < steps; i++)
            length += Vector3.Distance(Point(2 * Math.PI * i / steps), Point(2 * Math.PI * (i + 1) / steps));
        return length;
    }
}
