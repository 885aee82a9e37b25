using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class TestSceneTests
{
    [TestMethod]
    public void TheSceneOfTheDocumentedResultsIsUnchanged()
    {
        // docs/ and the tests' thresholds were measured on this scene: a change to it must be deliberate (update
        // these values and re-measure). Values of the 16×16 render, as first recorded.
        var image = TestScene.Render(16, 16);
        (int X, int Y, float R, float G, float B)[] pixels =
        [
            (0, 0, 0.21875f, 0.21875f, 0.63560563f),
            (3, 12, 0.5701934f, 0.47187936f, 0.42556885f),
            (8, 8, 0.51875f, 0.51875f, 0.8223767f),
            (15, 2, 0.7207031f, 0.3478125f, 0.73538953f),
            (11, 5, 0.65f, 0.7f, 0.825f),
            (6, 14, 0.4250502f, 0.41432872f, 0.4298097f),
        ];
        foreach (var (x, y, r, g, b) in pixels)
            CollectionAssert.AreEqual(new[] { r, g, b }, new[] { image[x, y, 0], image[x, y, 1], image[x, y, 2] }, new Tolerance(1e-6f), $"pixel ({x}, {y})");
        Assert.AreEqual(410.0924429446459, image.Data.Sum(v => (double)v), 1e-3);
    }

    private sealed class Tolerance(float epsilon) : System.Collections.IComparer
    {
        public int Compare(object? a, object? b) => Math.Abs((float)a! - (float)b!) <= epsilon ? 0 : 1;
    }

    [TestMethod]
    public void DefaultIsA256SquareRgbImageInTheUnitRange()
    {
        var image = TestScene.Render();
        Assert.AreEqual((256, 256, 3), (image.Width, image.Height, image.Channels));
        Assert.IsTrue(image.Data.All(v => v >= 0 && v <= 1));
    }

    [TestMethod]
    public void HigherResolutionRendersShowTheSameScene()
    {
        // Sample grids align: pooling a 64² render (4×4 samples) by 2 is a 32² render with 8×8 samples.
        var pooled = Resampling.DownscaleArea(TestScene.Render(64, 64, 4), 2);
        var direct = TestScene.Render(32, 32, 8);
        for (int i = 0; i < direct.Data.Length; i++) Assert.AreEqual(direct.Data[i], pooled.Data[i], 1e-5, $"value {i}");
    }

    [TestMethod]
    public void HasSharpEdgesFineTextureAndSmoothAreas()
    {
        var grey = TestScene.RenderGrey(256, 256);
        int w = grey.Width, h = grey.Height;
        int sharpSteps = 0, flatSteps = 0;
        double laplacianEnergy = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
            {
                double step = Math.Abs(grey[x + 1, y, 0] - grey[x, y, 0]);
                if (step > 0.4) sharpSteps++;
                if (step < 0.005) flatSteps++;
                double laplacian = 4 * grey[x, y, 0] - grey[x - 1, y, 0] - grey[x + 1, y, 0] - grey[x, y - 1, 0] - grey[x, y + 1, 0];
                laplacianEnergy += laplacian * laplacian;
            }
        int interior = (w - 2) * (h - 2);
        Assert.IsGreaterThan(2000, sharpSteps, "step edges (checkerboard, bars, shapes)");
        Assert.IsGreaterThan(0.4 * interior, flatSteps, "smooth gradient areas");
        Assert.IsGreaterThan(0.07, laplacianEnergy / interior, "high-frequency energy (texture, zone plate)");
    }

    [TestMethod]
    public void GreyVariantIsBt601Luma()
    {
        var rgb = TestScene.Render(32, 32);
        var grey = TestScene.RenderGrey(32, 32);
        Assert.AreEqual(1, grey.Channels);
        for (int y = 0; y < 32; y += 3)
            for (int x = 0; x < 32; x += 3)
                Assert.AreEqual(0.299 * rgb[x, y, 0] + 0.587 * rgb[x, y, 1] + 0.114 * rgb[x, y, 2], grey[x, y, 0], 1e-6);
    }

    [TestMethod]
    public void ZonePlateCentreIsBright()
    {
        var (r, g, b) = TestScene.Evaluate(0.25, 0.25);
        Assert.AreEqual((0.95, 0.95, 0.95), (r, g, b));
    }
}
