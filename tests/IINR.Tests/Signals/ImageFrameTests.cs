using IINR.Signals;

namespace IINR.Tests.Signals;

/// <summary><see cref="ImageFrame"/>: the frame of an image, its pixel grids and scaled sizes.</summary>
[TestClass]
public sealed class ImageFrameTests
{
    [TestMethod]
    public void FrameOfAnImageKeepsTheAspectAndMatchesThePixelGrid()
    {
        var frame = ImageFrame.Of(new SignalImage(64, 32, 1));
        Assert.AreEqual(new ImageFrame(64, 32, 1, 1.0, 0.5), frame, "the longer side spans [-1, 1]");
        Assert.AreEqual(ImageFrame.Of(64, 32, 1), frame);
        CollectionAssert.AreEqual(PixelGrid.Coordinates(64, 32), frame.Coordinates(64, 32));
        CollectionAssert.AreEqual(PixelGrid.Coordinates(128, 64, 1.0, 0.5), frame.Coordinates(128, 64), "a finer grid over the same frame");
    }

    [TestMethod]
    public void ScaledRoundsEachSideAndKeepsAtLeastOnePixel()
    {
        var frame = ImageFrame.Of(64, 32, 3);
        Assert.AreEqual((256, 128), frame.Scaled(4));
        Assert.AreEqual((96, 48), frame.Scaled(1.5));
        Assert.AreEqual((64, 32), frame.Scaled(1));
        Assert.AreEqual((21, 11), frame.Scaled(1 / 3.0), "21.33 and 10.67 round to the nearest integer");
        Assert.AreEqual((1, 1), frame.Scaled(1e-6));
        foreach (double bad in new[] { 0, -2, double.NaN, double.PositiveInfinity })
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => frame.Scaled(bad), $"scale {bad}");
    }
}
