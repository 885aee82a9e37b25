using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class RestorationSetTests
{
    static SignalImage Ramp(int width, int height) =>
        new(width, height, 1, Enumerable.Range(0, width * height).Select(i => (float)(i % width) / width * 0.5f + (float)(i / width) / height * 0.5f).ToArray());

    [TestMethod]
    public void TheSplitIsDisjoint()
    {
        Assert.AreEqual(7, RestorationSet.TuningImages.Count);
        Assert.AreEqual(6, RestorationSet.KeptOutImages.Count);
        Assert.IsFalse(RestorationSet.TuningImages.Intersect(RestorationSet.KeptOutImages).Any());
    }

    [TestMethod]
    public void CropsSitAtFixedAlignedPositions()
    {
        var image = Ramp(300, 200);
        var crops = RestorationSet.Crops("ramp", image, 64, RestorationSet.MaxPositions);
        Assert.AreEqual(5, crops.Count);
        // Centre of the free range (236, 136), then its quarters, rounded down to multiples of 4.
        CollectionAssert.AreEqual(new[] { (116, 68), (56, 32), (176, 100), (176, 32), (56, 100) }, crops.Select(c => (c.X, c.Y)).ToArray());
        foreach (var c in crops)
        {
            Assert.AreEqual((64, 64), (c.Clean.Width, c.Clean.Height));
            Assert.AreEqual(image[c.X + 5, c.Y + 7, 0], c.Clean[5, 7, 0]);
            Assert.AreEqual($"ramp@{c.X},{c.Y}", c.Name);
        }
        Assert.AreEqual(crops[0].Clean.Data.Length, RestorationSet.Crops("ramp", image, 64).Single().Clean.Data.Length);
    }

    [TestMethod]
    public void CropsRefuseBadSizes()
    {
        var image = Ramp(100, 80);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RestorationSet.Crops("r", image, 96));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RestorationSet.Crops("r", image, 30));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RestorationSet.Crops("r", image, 32, 6));
    }

    [TestMethod]
    public void DegradedVersionsAreDeterministic()
    {
        var crop = RestorationSet.Crops("ramp", Ramp(96, 96), 32).Single();
        CollectionAssert.AreEqual(Resampling.DownscaleArea(crop.Clean, 4).Data, crop.Downscaled(4).Data);
        var a = crop.Noisy(30);
        CollectionAssert.AreEqual(a.Data, crop.Noisy(30).Data, "same crop and τ: same noise");
        CollectionAssert.AreNotEqual(a.Data, crop.Noisy(100).Data);
        var other = RestorationSet.Crops("other", Ramp(96, 96), 32).Single();
        CollectionAssert.AreNotEqual(a.Data, other.Noisy(30).Data, "another crop: other noise");
        // τ = 30, σ = 2: variance I/30 + 4/900 per value, so the error is near that and unbiased.
        double mse = ImageMetrics.Mse(a, crop.Clean), mean = crop.Clean.Data.Average();
        Assert.AreEqual(mean / 30 + 4.0 / 900, mse, 0.25 * mse);
        Assert.AreEqual(mean, a.Data.Average(), 0.02);
    }
}
