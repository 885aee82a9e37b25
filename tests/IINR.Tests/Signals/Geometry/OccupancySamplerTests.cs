using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class OccupancySamplerTests
{
    private const float Radius = 0.8f;
    private static readonly OccupancySampler Sphere = new(Shapes.IcoSphere(Radius, subdivisions: 4));

    private static double Norm(float[] c, int i) => Math.Sqrt(c[3 * i] * c[3 * i] + c[3 * i + 1] * c[3 * i + 1] + c[3 * i + 2] * c[3 * i + 2]);

    [TestMethod]
    public void UniformPointsFillTheBoxAndAreLabelledByTheShape()
    {
        var s = Sphere.Uniform(20_000, seed: 1);
        Assert.AreEqual(20_000, s.Count);
        Assert.IsTrue(s.Coordinates.All(v => v >= -1 && v <= 1));
        // Mean of a uniform coordinate is 0 and its variance 1/3.
        Assert.AreEqual(0, s.Coordinates.Average(), 0.01);
        Assert.AreEqual(1.0 / 3, s.Coordinates.Average(v => v * (double)v), 0.01);
        // Inside exactly where the point is inside the (finely tessellated) sphere, away from its surface.
        for (int i = 0; i < s.Count; i++)
        {
            double r = Norm(s.Coordinates, i);
            if (Math.Abs(r - Radius) > 0.01) Assert.AreEqual(r < Radius ? 1f : 0f, s.Occupancy[i], $"point {i} at radius {r}");
        }
        Assert.AreEqual(4 / 3.0 * Math.PI * Radius * Radius * Radius / 8, s.InsideFraction, 0.01);
    }

    [TestMethod]
    public void NearSurfacePointsLieWithinTheSpreadAndStraddleTheSurface()
    {
        const double spread = 0.02;
        var s = Sphere.NearSurface(10_000, spread, seed: 2);
        var distances = Enumerable.Range(0, s.Count).Select(i => Norm(s.Coordinates, i) - Radius).ToArray();
        // The radial offset of an isotropic normal offset is normal with the same spread.
        Assert.AreEqual(0, distances.Average(), 0.002);
        Assert.AreEqual(spread, Math.Sqrt(distances.Average(d => d * d)), 0.002);
        Assert.AreEqual(0.5, s.InsideFraction, 0.03);
    }

    [TestMethod]
    public void TrainingSetMixesUniformAndNearSurfacePoints()
    {
        var s = Sphere.Training(1000, seed: 3, uniformFraction: 0.3, spread: 0.01);
        Assert.AreEqual(1000, s.Count);
        var uniform = Sphere.Uniform(300, seed: 3);
        var near = Sphere.NearSurface(700, 0.01, seed: 3);
        CollectionAssert.AreEqual(uniform.Coordinates.Concat(near.Coordinates).ToArray(), s.Coordinates);
        CollectionAssert.AreEqual(uniform.Occupancy.Concat(near.Occupancy).ToArray(), s.Occupancy);
        Assert.AreEqual(1000, Sphere.Training(1000, 3, uniformFraction: 1).Count);
        Assert.AreEqual(1000, Sphere.Training(1000, 3, uniformFraction: 0).Count);
    }

    [TestMethod]
    public void SameSeedSamePointsForAnyThreadCount()
    {
        var mesh = Shapes.TorusKnot();
        var a = new OccupancySampler(mesh, maxDegreeOfParallelism: 1).Training(5000, seed: 4);
        var b = new OccupancySampler(mesh).Training(5000, seed: 4);
        CollectionAssert.AreEqual(a.Coordinates, b.Coordinates);
        CollectionAssert.AreEqual(a.Occupancy, b.Occupancy);
        CollectionAssert.AreNotEqual(a.Coordinates, new OccupancySampler(mesh).Training(5000, seed: 5).Coordinates);
    }

    [TestMethod]
    public void GridIsTheVoxelizersGrid()
    {
        var mesh = Shapes.Torus();
        var grid = new OccupancySampler(mesh).Grid(24);
        CollectionAssert.AreEqual(VoxelGrid.Coordinates(24, 24, 24), grid.Coordinates);
        CollectionAssert.AreEqual(Voxelizer.Voxelize(mesh, 24).ToFloatArray(), grid.Occupancy);
    }

    [TestMethod]
    public void IoUScoresPredictionsPerPoint()
    {
        var s = Sphere.Uniform(2000, seed: 6);
        Assert.AreEqual(1.0, s.IoU(s.Occupancy));
        Assert.AreEqual(0.0, s.IoU(new float[s.Count]));
        // Predicting "inside" everywhere: the IoU is the inside fraction.
        Assert.AreEqual(s.InsideFraction, s.IoU(Enumerable.Repeat(1f, s.Count).ToArray()), 1e-12);
        Assert.ThrowsExactly<ArgumentException>(() => s.IoU(new float[s.Count - 1]));
    }

    [TestMethod]
    public void BadArgumentsAreNamed()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Sphere.Uniform(0, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Sphere.NearSurface(10, -0.1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Sphere.Training(10, 1, uniformFraction: 1.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Sphere.Grid(0));
        Assert.ThrowsExactly<ArgumentException>(() => Sphere.Label(new float[4]));
        Assert.ThrowsExactly<ArgumentException>(() => new OccupancySampler(new TriangleMesh(new float[9], [0, 1, 2])));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new OccupancySamples(new float[6], [0f, 0.5f]));
        StringAssert.Contains(e.Message, "point 1");
        Assert.ThrowsExactly<ArgumentException>(() => new OccupancySamples(new float[5], [0f, 1f]));
        Assert.ThrowsExactly<ArgumentException>(() => new OccupancySamples([float.NaN, 0, 0], [1f]));
    }
}
