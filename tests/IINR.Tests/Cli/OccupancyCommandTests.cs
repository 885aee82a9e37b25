using System.Text.Json;
using IINR.Signals.Geometry;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class OccupancyCommandTests
{
    static OccupancyVolume Sphere(int r, float radius)
    {
        var v = new OccupancyVolume(r);
        for (int z = 0; z < r; z++)
            for (int y = 0; y < r; y++)
                for (int x = 0; x < r; x++)
                    v[x, y, z] = VoxelGrid.Center(x, y, z, r).Length() < radius;
        return v;
    }

    [TestMethod]
    public void FitsATinySphereVolumeAndExportsAClosedMesh()
    {
        using var h = new CliHarness();
        Sphere(16, 0.6f).Write(h.PathOf("sphere.occ"));
        h.Run("occupancy", "--input", h.PathOf("sphere.occ"), "--iterations", "60", "--hidden-layers", "2", "--hidden-size", "32", "--threads", "1",
            "--output", h.PathOf("recon.obj"), "--report", h.PathOf("o.json"), "--quiet").Succeeded();
        var r = h.ReadReport("o.json");
        Assert.AreEqual("grid", r.GetProperty("training").GetString(), "a volume trains on its grid");
        Assert.AreEqual(JsonValueKind.Null, r.GetProperty("uniformIoU").ValueKind, "and has no shape to score off it");
        double iou = r.GetProperty("iou").GetDouble();
        Assert.IsTrue(iou > 0.8, $"IoU {iou}");
        Assert.AreEqual(16, r.GetProperty("sizeX").GetInt32());
        Assert.AreEqual(4096, r.GetProperty("batchSize").GetInt32(), "a grid smaller than the default batch trains full-batch");
        Assert.IsTrue(r.GetProperty("watertight").GetBoolean());
        var mesh = ObjFile.Read(h.PathOf("recon.obj"));
        Assert.IsTrue(mesh.TriangleCount > 100);
        Assert.IsTrue(mesh.IsWatertight(), "marching cubes output is closed");
        Assert.IsTrue(mesh.SignedVolume() > 0, "and outward-oriented");
    }

    [TestMethod]
    public void TrainsOnSampledPointsOfAMeshScoresOffTheGridAndMapsTheSurfaceBackToItsCoordinates()
    {
        using var h = new CliHarness();
        // A sphere of radius 3 centred at (10, 0, 0): far from [-1, 1]³, so the mapping back is visible.
        var sphere = Shapes.IcoSphere(3f, 2).MapVertices(p => p + new System.Numerics.Vector3(10, 0, 0));
        ObjFile.Write(h.PathOf("ball.obj"), sphere);
        var run = h.Run("occupancy", "--input", h.PathOf("ball.obj"), "--resolution", "12", "--points", "5000", "--iterations", "60", "--hidden-layers", "2", "--hidden-size", "32",
            "--threads", "1", "--batch-size", "1000", "--output", h.PathOf("c.obj"), "--volume", h.PathOf("c.occ"), "--report", h.PathOf("c.json")).Succeeded();
        StringAssert.Contains(run.Out, "trained on 5,000 sampled points");
        StringAssert.Contains(run.Out, "100,000 uniform random points");
        StringAssert.Contains(run.Out, "on the 24³ grid");
        var r = h.ReadReport("c.json");
        Assert.AreEqual("sampled", r.GetProperty("training").GetString());
        Assert.AreEqual(5000, r.GetProperty("trainingPoints").GetInt32());
        Assert.AreEqual(100_000, r.GetProperty("uniformPoints").GetInt32());
        Assert.AreEqual(1000, r.GetProperty("batchSize").GetInt32());
        foreach (var iou in new[] { "iou", "fineGridIoU", "uniformIoU" })
            Assert.IsTrue(r.GetProperty(iou).GetDouble() > 0.5, $"{iou} {r.GetProperty(iou)}");
        var mesh = ObjFile.Read(h.PathOf("c.obj"));
        Assert.IsTrue(mesh.IsWatertight());
        var centre = mesh.Bounds.Center;
        Assert.AreEqual(10, centre.X, 1.0, "the surface is in the input's coordinates");
        Assert.AreEqual(6, mesh.Bounds.Size.X, 1.5);
        Assert.AreEqual(12, OccupancyVolume.Read(h.PathOf("c.occ")).SizeX);
    }

    [TestMethod]
    public void TrainsOnTheGridOfAMeshOnRequestAndRefusesToSampleAVolume()
    {
        using var h = new CliHarness();
        h.Run("occupancy", "--input", "builtin:sphere", "--resolution", "8", "--train", "grid", "--iterations", "20", "--hidden-layers", "1", "--hidden-size", "16",
            "--threads", "1", "--output", h.PathOf("g.obj"), "--report", h.PathOf("g.json"), "--quiet").Succeeded();
        var r = h.ReadReport("g.json");
        Assert.AreEqual("grid", r.GetProperty("training").GetString());
        Assert.AreEqual(8 * 8 * 8, r.GetProperty("trainingPoints").GetInt32());
        Assert.AreEqual(JsonValueKind.Number, r.GetProperty("uniformIoU").ValueKind, "a mesh is scored off its grid whatever the training");
        Assert.IsTrue(File.Exists(h.PathOf("g.obj")));

        Sphere(8, 0.6f).Write(h.PathOf("s.occ"));
        var refused = h.Run("occupancy", "--input", h.PathOf("s.occ"), "--train", "sampled", "--threads", "1").FailedWithOneLine(IINR.Cli.ExitCodes.Usage);
        StringAssert.Contains(refused.Error, "--train sampled needs a mesh");
        var points = h.Run("occupancy", "--input", h.PathOf("s.occ"), "--points", "500", "--threads", "1").FailedWithOneLine(IINR.Cli.ExitCodes.Usage);
        StringAssert.Contains(points.Error, "--points applies to --train sampled");
    }
}
