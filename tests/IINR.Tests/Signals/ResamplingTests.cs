using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class ResamplingTests
{
    private static SignalImage FromFunction(int width, int height, int channels, Func<int, int, int, double> f)
    {
        var image = new SignalImage(width, height, channels);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                for (int c = 0; c < channels; c++)
                    image[x, y, c] = (float)f(x, y, c);
        return image;
    }

    private static SignalImage Random(int width, int height, int channels, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        return FromFunction(width, height, channels, (_, _, _) => random.NextDouble());
    }

    private static double Mean(SignalImage image, int channel)
    {
        double sum = 0;
        for (int i = channel; i < image.Data.Length; i += image.Channels) sum += image.Data[i];
        return sum / (image.Width * image.Height);
    }

    [TestMethod]
    public void BicubicOfAConstantIsConstant()
    {
        var image = FromFunction(7, 5, 2, (_, _, c) => c == 0 ? 0.3 : 0.8);
        var resized = Resampling.ResizeBicubic(image, 17, 13);
        Assert.AreEqual((17, 13, 2), (resized.Width, resized.Height, resized.Channels));
        for (int i = 0; i < resized.Data.Length; i++)
            Assert.AreEqual(i % 2 == 0 ? 0.3 : 0.8, resized.Data[i], 1e-6, $"value {i}");
    }

    // Source coordinate of target pixel i (pixel-centre aligned), and whether all four taps are inside.
    private static (double S, bool Interior) SourceOf(int i, int sourceLength, int targetLength)
    {
        double s = (i + 0.5) * sourceLength / targetLength - 0.5;
        int x0 = (int)Math.Floor(s);
        return (s, x0 - 1 >= 0 && x0 + 2 <= sourceLength - 1);
    }

    [TestMethod]
    public void BicubicIsExactOnLinearAndQuadraticRampsInTheInterior()
    {
        // Keys' kernel with a = −0.5 reproduces polynomials up to degree 2 (a = −0.75 would miss the quadratic).
        Func<double, double, double> linear = (x, y) => 0.1 + 0.02 * x + 0.03 * y;
        Func<double, double, double> quadratic = (x, y) => 0.1 + 0.002 * x * x + 0.001 * y * y;
        foreach (var f in new[] { linear, quadratic })
        {
            var image = FromFunction(20, 16, 1, (x, y, _) => f(x, y));
            foreach (var (tw, th) in new[] { (60, 48), (33, 27), (13, 11) })
            {
                var resized = Resampling.ResizeBicubic(image, tw, th);
                int checkedCount = 0;
                for (int y = 0; y < th; y++)
                    for (int x = 0; x < tw; x++)
                    {
                        var (sx, ix) = SourceOf(x, 20, tw);
                        var (sy, iy) = SourceOf(y, 16, th);
                        if (!ix || !iy) continue;
                        Assert.AreEqual(f(sx, sy), resized[x, y, 0], 2e-6, $"{tw}×{th} at ({x}, {y})");
                        checkedCount++;
                    }
                Assert.IsGreaterThan(50, checkedCount);
            }
        }
    }

    [TestMethod]
    public void BicubicStepMatchesHandComputedKeysWeights()
    {
        // Row 0 0 1 1, doubled: target 3 sits at source 1.25, so it reads taps 0..3 at distances 1.25, 0.25, 0.75, 1.75.
        // Keys a = −0.5: W(0.75) = 1.5·0.75³ − 2.5·0.75² + 1 = 0.2265625, W(1.75) = −0.5·1.75³ + 2.5·1.75² − 4·1.75 + 2 = −0.0234375.
        var row = new SignalImage(4, 1, 1, [0f, 0f, 1f, 1f]);
        var doubled = Resampling.UpscaleBicubic(row, 2);
        Assert.AreEqual(8, doubled.Width);
        Assert.AreEqual(0.2265625 - 0.0234375, doubled[3, 0, 0], 1e-7);
        Assert.AreEqual(1 - 0.203125, doubled[4, 0, 0], 1e-7, "the mirror image of target 3");
        Assert.AreEqual(0.0, doubled[0, 0, 0], 1e-7, "clamped border");
    }

    [TestMethod]
    public void BicubicAtTheSameSizeIsTheIdentity()
    {
        var image = Random(9, 7, 3, 5);
        CollectionAssert.AreEqual(image.Data, Resampling.ResizeBicubic(image, 9, 7).Data);
    }

    [TestMethod]
    public void AreaDownscaleAveragesBlocksAndPreservesTheMean()
    {
        var image = Random(64, 48, 3, 9);
        var small = Resampling.DownscaleArea(image, 4);
        Assert.AreEqual((16, 12, 3), (small.Width, small.Height, small.Channels));
        for (int c = 0; c < 3; c++) Assert.AreEqual(Mean(image, c), Mean(small, c), 1e-6);

        double block = 0;
        for (int y = 8; y < 12; y++)
            for (int x = 20; x < 24; x++)
                block += image[x, y, 1];
        Assert.AreEqual(block / 16, small[5, 2, 1], 1e-6);
    }

    [TestMethod]
    public void AreaDownscaleRefusesSizesThatAreNotMultiples()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Resampling.DownscaleArea(new SignalImage(30, 32, 1), 4));
        Assert.Contains("30×32", e.Message);
    }

    [TestMethod]
    public void AreaResizeMatchesPoolingForIntegerFactorsAndPreservesTheMeanForAnySize()
    {
        var image = Random(64, 48, 3, 10);
        var pooled = Resampling.DownscaleArea(image, 2);
        var resized = Resampling.ResizeArea(image, 32, 24);
        for (int i = 0; i < pooled.Data.Length; i++) Assert.AreEqual(pooled.Data[i], resized.Data[i], 1e-6);

        foreach (var (w, h) in new[] { (25, 19), (7, 5), (100, 61) })
        {
            var other = Resampling.ResizeArea(image, w, h);
            for (int c = 0; c < 3; c++) Assert.AreEqual(Mean(image, c), Mean(other, c), 1e-5, $"{w}×{h} channel {c}");
        }
    }

    [TestMethod]
    public void AreaResizeUsesExactOverlapWeights()
    {
        // 0 3 6 → 2 pixels of 1.5 source pixels each: (0 + 0.5·3)/1.5 = 1 and (0.5·3 + 6)/1.5 = 5.
        var row = new SignalImage(3, 1, 1, [0f, 3f, 6f]);
        CollectionAssert.AreEqual(new[] { 1f, 5f }, Resampling.ResizeArea(row, 2, 1).Data);
    }

    [TestMethod]
    public void CropCopiesTheRectangleAndChecksBounds()
    {
        var image = FromFunction(10, 8, 2, (x, y, c) => 100 * y + 10 * x + c);
        var crop = Resampling.Crop(image, 3, 2, 4, 5);
        Assert.AreEqual((4, 5, 2), (crop.Width, crop.Height, crop.Channels));
        Assert.AreEqual(image[3, 2, 0], crop[0, 0, 0]);
        Assert.AreEqual(image[6, 6, 1], crop[3, 4, 1]);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Resampling.Crop(image, 7, 0, 4, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Resampling.Crop(image, -1, 0, 4, 2));
    }

    [TestMethod]
    public void LanczosKeepsConstantsAndIsTheIdentityAtTheSameSize()
    {
        var constant = FromFunction(6, 5, 2, (_, _, c) => c == 0 ? 0.25 : 0.75);
        var resized = Resampling.ResizeLanczos(constant, 23, 17);
        for (int i = 0; i < resized.Data.Length; i++)
            Assert.AreEqual(i % 2 == 0 ? 0.25 : 0.75, resized.Data[i], 1e-6, $"value {i}");
        var image = Random(9, 7, 3, 6);
        var same = Resampling.ResizeLanczos(image, 9, 7);
        for (int i = 0; i < image.Data.Length; i++) Assert.AreEqual(image.Data[i], same.Data[i], 1e-6, $"value {i}");
    }

    [TestMethod]
    public void LanczosIsCloserThanBicubicOnAFineSine()
    {
        // A band-limited signal near the source's Nyquist rate: Lanczos-3's wider window reproduces it better.
        Func<double, double> f = x => 0.5 + 0.4 * Math.Sin(2 * Math.PI * x / 3.1);
        var source = FromFunction(64, 1, 1, (x, _, _) => f(x));
        var bicubic = Resampling.ResizeBicubic(source, 256, 1);
        var lanczos = Resampling.ResizeLanczos(source, 256, 1);
        double eb = 0, el = 0;
        for (int i = 24; i < 232; i++)
        {
            double truth = f((i + 0.5) / 4 - 0.5);
            eb += Math.Pow(bicubic[i, 0, 0] - truth, 2);
            el += Math.Pow(lanczos[i, 0, 0] - truth, 2);
        }
        Assert.IsLessThan(eb / 2, el, $"Lanczos squared error {el:G3} vs bicubic {eb:G3}");
    }

    [TestMethod]
    public void BackProjectionAveragesBackToItsInput()
    {
        var low = Random(12, 10, 3, 11);
        var up = Resampling.UpscaleBackProjection(low, 4);
        Assert.AreEqual((48, 40, 3), (up.Width, up.Height, up.Channels));
        var down = Resampling.DownscaleArea(up, 4);
        var bicubicDown = Resampling.DownscaleArea(Resampling.UpscaleBicubic(low, 4), 4);
        double before = 0;
        for (int i = 0; i < low.Data.Length; i++)
        {
            Assert.AreEqual(low.Data[i], down.Data[i], 1e-4, $"value {i}");
            before = Math.Max(before, Math.Abs(low.Data[i] - bicubicDown.Data[i]));
        }
        Assert.IsGreaterThan(1e-2, before, "bicubic alone is not consistent, so the rounds did the work");
        CollectionAssert.AreEqual(Resampling.UpscaleBicubic(low, 4).Data, Resampling.UpscaleBackProjection(low, 4, rounds: 0).Data);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Resampling.UpscaleBackProjection(low, 4, rounds: -1));
    }

    [TestMethod]
    public void BackProjectCorrectsAnyEnlargementUntilItAveragesBackToTheObservedImage()
    {
        var low = Random(10, 8, 3, 5);
        foreach (var (w, h) in new[] { (40, 32), (25, 20), (13, 8) }) // 4×, 2.5×, and a stretch of one axis
        {
            var estimate = Random(w, h, 3, 7); // an estimate that has nothing to do with the observations
            var original = estimate.Data.ToArray();
            // The rounds run on the observed grid; they are the textbook rounds on the estimate's grid, x += bicubic(low − area(x)).
            var textbook = new SignalImage(w, h, 3, original.ToArray());
            for (int r = 0; r < Resampling.DefaultBackProjectionRounds; r++)
            {
                var down = Resampling.ResizeArea(textbook, 10, 8);
                for (int i = 0; i < down.Data.Length; i++) down.Data[i] = low.Data[i] - down.Data[i];
                var up = Resampling.ResizeBicubic(down, w, h);
                for (int i = 0; i < textbook.Data.Length; i++) textbook.Data[i] += up.Data[i];
            }
            double before = MaxDifference(Resampling.ResizeArea(estimate, 10, 8), low);
            Resampling.BackProject(estimate, low);
            double after = MaxDifference(Resampling.ResizeArea(estimate, 10, 8), low);
            Assert.IsGreaterThan(0.1, before, $"{w}×{h}: the estimate starts inconsistent");
            Assert.IsLessThan(1e-3, after, $"{w}×{h}: after the rounds it area-averages back to the observed image");
            Assert.IsLessThan(1e-4, MaxDifference(textbook, estimate), $"{w}×{h}: the same as the textbook rounds");
            // The correction is smooth (bicubic) at the observed pixels' scale, so at 2.5× and more the estimate's own
            // pixel-to-pixel detail survives it.
            if (w >= 25)
                Assert.IsGreaterThan(0.8, Correlation(Differences(original, w), Differences(estimate.Data, w)), $"{w}×{h}: the detail is kept");
        }

        var copy = Random(40, 32, 3, 7);
        var untouched = copy.Data.ToArray();
        Resampling.BackProject(copy, low, rounds: 0);
        CollectionAssert.AreEqual(untouched, copy.Data, "0 rounds leave the estimate as it is");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Resampling.BackProject(copy, low, rounds: -1));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Resampling.BackProject(Random(40, 32, 1, 7), low)).Message, "channels");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Resampling.BackProject(Random(9, 32, 3, 7), low)).Message, "smaller");
    }

    // Horizontal neighbour differences of an interleaved 3-channel image of the given width.
    static double[] Differences(float[] data, int width)
    {
        var d = new List<double>();
        for (int i = 0; i + 3 < data.Length; i++)
            if ((i / 3) % width != width - 1) d.Add(data[i + 3] - data[i]);
        return [.. d];
    }

    static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb); }
        return ab / Math.Sqrt(aa * bb);
    }

    static double MaxDifference(SignalImage a, SignalImage b)
    {
        double max = 0;
        for (int i = 0; i < a.Data.Length; i++) max = Math.Max(max, Math.Abs(a.Data[i] - b.Data[i]));
        return max;
    }
}
