using System.Numerics;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class FastWindingNumberTests
{
    [TestMethod]
    public void SolidAngleOfAnOctantTriangleIsAnEighthOfTheSphere()
    {
        // Seen from the origin, the triangle (x, y, z unit points) covers one octant: 4π/8, positive because
        // the origin lies on its inner side (the triangle's normal (1,1,1) points away from it).
        double omega = FastWindingNumber.SolidAngle(Vector3.UnitX, Vector3.UnitY, Vector3.UnitZ, Vector3.Zero);
        Assert.AreEqual(Math.PI / 2, omega, 1e-12);
    }

    [TestMethod]
    public void ExactWindingNumberIsOneInsideAndZeroOutside()
    {
        var winding = new FastWindingNumber(Shapes.Torus());
        Assert.AreEqual(1.0, winding.EvaluateExact(new Vector3(0.6f, 0, 0)), 1e-9);
        Assert.AreEqual(0.0, winding.EvaluateExact(Vector3.Zero), 1e-9);
        Assert.AreEqual(0.0, winding.EvaluateExact(new Vector3(0, 0, 0.9f)), 1e-9);
    }

    [TestMethod]
    public void FarFieldApproximationStaysCloseToExact()
    {
        foreach (var mesh in new[] { Shapes.IcoSphere(), Shapes.Torus(), Shapes.TorusKnot() })
        {
            var winding = new FastWindingNumber(mesh);
            var random = new Random(12345);
            double max = 0, sum = 0;
            const int count = 300;
            for (int i = 0; i < count; i++)
            {
                var q = new Vector3(random.NextSingle() * 2 - 1, random.NextSingle() * 2 - 1, random.NextSingle() * 2 - 1);
                double error = Math.Abs(winding.Evaluate(q) - winding.EvaluateExact(q));
                max = Math.Max(max, error);
                sum += error;
            }
            Assert.IsLessThan(0.1, max);
            Assert.IsLessThan(0.01, sum / count);
        }
    }

    [TestMethod]
    public void InfiniteAccuracyIsExact()
    {
        var winding = new FastWindingNumber(Shapes.TorusKnot(), double.PositiveInfinity);
        var q = new Vector3(0.1f, -0.3f, 0.2f);
        Assert.AreEqual(winding.EvaluateExact(q), winding.Evaluate(q), 1e-9);
    }
}
