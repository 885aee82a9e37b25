using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class ImageMetricsTests
{
    private static SignalImage Constant(int width, int height, params float[] channelValues)
    {
        var image = new SignalImage(width, height, channelValues.Length);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = channelValues[i % channelValues.Length];
        return image;
    }

    private static SignalImage Random(int width, int height, int channels, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var image = new SignalImage(width, height, channels);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)random.NextDouble();
        return image;
    }

    [TestMethod]
    public void MseAndPsnrOfKnownDifferences()
    {
        // A constant offset of 0.1: MSE = 0.01, PSNR = 10·log10(1 / 0.01) = 20 dB.
        var a = Constant(8, 8, 0.5f, 0.5f, 0.5f);
        var b = Constant(8, 8, 0.6f, 0.4f, 0.6f);
        Assert.AreEqual(0.01, ImageMetrics.Mse(a, b), 1e-8);
        Assert.AreEqual(20.0, ImageMetrics.Psnr(a, b), 1e-5);
        Assert.AreEqual(20.0 + 20 * Math.Log10(255), ImageMetrics.Psnr(a, b, dataRange: 255), 1e-5);

        // Two pixels, errors 1 and 0: MSE = 0.5, PSNR = 10·log10(2) ≈ 3.0103 dB.
        var c = new SignalImage(2, 1, 1, [0f, 1f]);
        var d = new SignalImage(2, 1, 1, [1f, 1f]);
        Assert.AreEqual(0.5, ImageMetrics.Mse(c, d), 1e-12);
        Assert.AreEqual(3.010299956639812, ImageMetrics.Psnr(c, d), 1e-9);
    }

    [TestMethod]
    public void IdenticalImagesHaveZeroMseInfinitePsnrAndUnitSsim()
    {
        var a = Random(16, 12, 3, 1);
        Assert.AreEqual(0.0, ImageMetrics.Mse(a, a.Clone()));
        Assert.AreEqual(double.PositiveInfinity, ImageMetrics.Psnr(a, a.Clone()));
        Assert.AreEqual(1.0, ImageMetrics.Ssim(a, a.Clone()), 1e-12);
    }

    [TestMethod]
    public void MismatchedShapesNameBothSizes()
    {
        var a = new SignalImage(32, 32, 3);
        var b = new SignalImage(16, 32, 3);
        foreach (Action call in new Action[] { () => ImageMetrics.Mse(a, b), () => ImageMetrics.Psnr(a, b), () => ImageMetrics.Ssim(a, b) })
        {
            var e = Assert.ThrowsExactly<ArgumentException>(call);
            Assert.Contains("32×32×3", e.Message);
            Assert.Contains("16×32×3", e.Message);
        }
        var grey = new SignalImage(32, 32, 1);
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => ImageMetrics.Ssim(a, grey));
        Assert.Contains("32×32×1", e2.Message);
    }

    [TestMethod]
    public void SsimNeedsAnElevenPixelWindow()
    {
        var a = new SignalImage(10, 20, 1);
        Assert.ThrowsExactly<ArgumentException>(() => ImageMetrics.Ssim(a, a));
    }

    [TestMethod]
    public void SsimOfTwoConstantsIsTheLuminanceTerm()
    {
        // Zero variances: SSIM = (2ab + C1)(C2) / ((a² + b² + C1)(C2)) = (2ab + C1) / (a² + b² + C1), C1 = 0.0001.
        static double Expected(double a, double b) => (2 * a * b + 1e-4) / (a * a + b * b + 1e-4);
        var x = Constant(14, 12, 0.5f, 0.2f, 0.9f);
        var y = Constant(14, 12, 0.7f, 0.2f, 0.1f);
        double expected = (Expected(0.5f, 0.7f) + Expected(0.2f, 0.2f) + Expected(0.9f, 0.1f)) / 3;
        Assert.AreEqual(expected, ImageMetrics.Ssim(x, y), 1e-9);
    }

    // SSIM of the single 11×11 window whose top-left corner is (ox, oy), written out directly in 2-D:
    // w(i, j) = exp(−((i−5)² + (j−5)²) / (2·1.5²)) / Σ, μ = Σw·v, σ² = Σw·v² − μ², σxy = Σw·x·y − μx·μy.
    // Also used by MLNet/MetricsTests.
    internal static double WindowSsim(SignalImage x, SignalImage y, int channel, int ox, int oy)
    {
        double weightSum = 0;
        for (int j = 0; j < 11; j++)
            for (int i = 0; i < 11; i++)
                weightSum += Math.Exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / 4.5);
        double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
        for (int j = 0; j < 11; j++)
            for (int i = 0; i < 11; i++)
            {
                double w = Math.Exp(-((i - 5) * (i - 5) + (j - 5) * (j - 5)) / 4.5) / weightSum;
                double a = x[ox + i, oy + j, channel], b = y[ox + i, oy + j, channel];
                mx += w * a; my += w * b; mxx += w * a * a; myy += w * b * b; mxy += w * a * b;
            }
        double vx = mxx - mx * mx, vy = myy - my * my, cov = mxy - mx * my;
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        return (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    }

    [TestMethod]
    public void SsimOfAnElevenByElevenPairIsTheSingleWindowComputedByHand()
    {
        var x = Random(11, 11, 1, 7);
        var y = x.Clone();
        var noise = new DeterministicRandom(8);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = 0.8f * y.Data[i] + 0.1f + 0.15f * (float)noise.NextGaussian();

        double expected = WindowSsim(x, y, 0, 0, 0);
        Assert.IsTrue(expected is > 0.2 and < 0.98, $"a non-trivial case, got {expected}");
        Assert.AreEqual(expected, ImageMetrics.Ssim(x, y), 1e-12);
    }

    [TestMethod]
    public void SsimAveragesValidWindowsThenChannels()
    {
        // 13×12 leaves 3×2 window positions per channel; nothing near the border is padded.
        var x = Random(13, 12, 2, 11);
        var y = Random(13, 12, 2, 12);
        for (int i = 0; i < y.Data.Length; i++) y.Data[i] = 0.5f * (x.Data[i] + y.Data[i]);

        double sum = 0;
        for (int c = 0; c < 2; c++)
            for (int oy = 0; oy < 2; oy++)
                for (int ox = 0; ox < 3; ox++)
                    sum += WindowSsim(x, y, c, ox, oy);
        Assert.AreEqual(sum / 12, ImageMetrics.Ssim(x, y), 1e-12);
    }

    [TestMethod]
    public void SsimAndPsnrFallAsNoiseGrows()
    {
        var clean = TestScene.RenderGrey(48, 48, 2);
        double previousSsim = 1, previousPsnr = double.PositiveInfinity;
        foreach (double sigma in new[] { 0.02, 0.05, 0.1, 0.2 })
        {
            var noisy = NoiseSimulator.AddGaussianNoise(clean, sigma, seed: 3);
            double ssim = ImageMetrics.Ssim(clean, noisy), psnr = ImageMetrics.Psnr(clean, noisy);
            Assert.IsLessThan(previousSsim, ssim, $"σ = {sigma}");
            Assert.IsLessThan(previousPsnr, psnr, $"σ = {sigma}");
            Assert.AreEqual(-20 * Math.Log10(sigma), psnr, 0.5, "PSNR of white noise is −20·log10 σ");
            previousSsim = ssim;
            previousPsnr = psnr;
        }
    }
}
