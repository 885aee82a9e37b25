using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class VolumeMetricsTests
{
    [TestMethod]
    public void IoUOfKnownMasks()
    {
        bool[] a = [true, true, false, false];
        bool[] b = [false, true, true, false];
        Assert.AreEqual(1.0 / 3.0, VolumeMetrics.IoU(a, b), 1e-12);
        Assert.AreEqual(1.0, VolumeMetrics.IoU(a, a));
        Assert.AreEqual(0.0, VolumeMetrics.IoU(a, [false, false, true, true]));
        Assert.AreEqual(1.0, VolumeMetrics.IoU(new bool[4], new bool[4]), "two empty volumes agree");
        Assert.AreEqual(0.5, VolumeMetrics.IoU(a, [true, false, false, false]));
    }

    [TestMethod]
    public void SoftIoUThresholdsStrictlyAbove()
    {
        float[] a = [0.9f, 0.6f, 0.5f, 0.1f];
        float[] b = [0.7f, 0.2f, 0.8f, 0.0f];
        // Occupied above 0.5: a = {0, 1}, b = {0, 2}.
        Assert.AreEqual(1.0 / 3.0, VolumeMetrics.IoU(a, b), 1e-12);
        Assert.AreEqual(0.5, VolumeMetrics.IoU(a, b, threshold: 0.65f), 1e-12);
    }

    [TestMethod]
    public void IoUOfVolumes()
    {
        var a = new OccupancyVolume(4);
        var b = new OccupancyVolume(4);
        a[1, 2, 3] = true;
        b[1, 2, 3] = true;
        b[0, 0, 0] = true;
        Assert.AreEqual(0.5, VolumeMetrics.IoU(a, b));
        Assert.ThrowsExactly<ArgumentException>(() => VolumeMetrics.IoU(a, new OccupancyVolume(5)));
    }

    [TestMethod]
    public void IoURejectsMismatchedLengths() =>
        Assert.ThrowsExactly<ArgumentException>(() => VolumeMetrics.IoU(new bool[3], new bool[4]));
}
