using IINR.Signals;
using IINR.Tests.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>IINRMetrics and OccupancyMetrics: the Signals math (ImageMetrics, VolumeMetrics) behind images, arrays and scored data views.</summary>
[TestClass]
public sealed class MetricsTests
{
    private static readonly MLContext Ml = new(seed: 0);

    private static SignalImage Noisy(SignalImage image, ulong seed, float sigma)
    {
        var random = new DeterministicRandom(seed);
        var noisy = image.Clone();
        for (int i = 0; i < noisy.Data.Length; i++) noisy.Data[i] += sigma * (float)random.NextGaussian();
        return noisy;
    }

    [TestMethod]
    public void SsimOfAnElevenByElevenPairIsTheWindowComputedByHand()
    {
        // One valid window position: SSIM is the single Gaussian-window value, written out in ImageMetricsTests.
        var x = Scene(11).ToGrey();
        var y = Noisy(x, 3, 0.1f);
        var metrics = IINRMetrics.FromImages(x, y);
        Assert.IsNotNull(metrics.Ssim);
        Assert.AreEqual(ImageMetricsTests.WindowSsim(x, y, 0, 0, 0), metrics.Ssim.Value, 1e-12);
        Assert.AreEqual(121L, metrics.Count);
    }

    [TestMethod]
    public void MseAndPsnrOfKnownDifferences()
    {
        // Every value off by 0.25: MSE 1/16, PSNR 10·log10(16) = 12.0412 dB; one pixel of 12×12 off by 1: MSE 1/144, 21.5836 dB.
        var a = new SignalImage(12, 12, 3);
        Array.Fill(a.Data, 0.5f);
        var b = a.Clone();
        Array.Fill(b.Data, 0.75f);
        var metrics = IINRMetrics.FromImages(a, b);
        Assert.AreEqual(0.0625, metrics.MeanSquaredError, 1e-15);
        Assert.AreEqual(12.041199826559248, metrics.Psnr, 1e-9);
        Assert.AreEqual((2 * 0.5 * 0.75 + 1e-4) / (0.25 + 0.5625 + 1e-4), metrics.Ssim!.Value, 1e-9, "constants: SSIM is the luminance term");

        var grey = new SignalImage(12, 12, 1);
        var onePixel = grey.Clone();
        onePixel[5, 7, 0] = 1;
        Assert.AreEqual(21.583624920952497, IINRMetrics.FromImages(grey, onePixel).Psnr, 1e-9);
    }

    [TestMethod]
    public void ImagesSmallerThanTheWindowHaveNoSsim()
    {
        var a = Scene(10);
        var metrics = IINRMetrics.FromImages(a, a);
        Assert.IsNull(metrics.Ssim);
        Assert.AreEqual(0.0, metrics.MeanSquaredError);
        Assert.AreEqual(double.PositiveInfinity, metrics.Psnr);
        Assert.ThrowsExactly<ArgumentException>(() => IINRMetrics.FromImages(a, Scene(12)));
    }

    [TestMethod]
    public void ScoredDataViewsGiveTheImageMetricsWhenTheyAreAnImage()
    {
        var reference = Scene(16);
        var reconstruction = Noisy(reference, 5, 0.05f);
        var expected = IINRMetrics.FromImages(reference, reconstruction);

        // A scored view as LoadFromImage + Transform make it: the annotations travel on the signal column.
        var scored = new ArrayDataView(
            new ArrayDataView.Column("Coordinates", 2, PixelGrid.Coordinates(16, 16), IINRAnnotations.ForImage(16, 16, null)),
            new ArrayDataView.Column("Signal", 3, reference.Data, IINRAnnotations.ForImage(16, 16, 3)),
            new ArrayDataView.Column("Reconstruction", 3, reconstruction.Data));
        var metrics = Ml.Transforms.IINR.Evaluate(scored);
        Assert.AreEqual(expected.MeanSquaredError, metrics.MeanSquaredError, 1e-15);
        Assert.AreEqual(expected.Psnr, metrics.Psnr, 1e-9);
        Assert.AreEqual(expected.Ssim!.Value, metrics.Ssim!.Value, 1e-12);

        // Filtered rows are no longer the image: MSE and PSNR only.
        var some = Ml.Transforms.IINR.Evaluate(Ml.Data.TakeRows(scored, 100));
        Assert.IsNull(some.Ssim);
        Assert.AreEqual(100L, some.Count);

        // The same without annotations (e.g. after Concatenate) and under other names.
        var rows = Enumerable.Range(0, 256).Select(i => new Pair
        {
            Truth = reference.Data.AsSpan(3 * i, 3).ToArray(),
            Guess = reconstruction.Data.AsSpan(3 * i, 3).ToArray(),
        });
        var plain = Ml.Transforms.IINR.Evaluate(Ml.Data.LoadFromEnumerable(rows), "Truth", "Guess");
        Assert.IsNull(plain.Ssim);
        Assert.AreEqual(expected.MeanSquaredError, plain.MeanSquaredError, 1e-15);
    }

    [TestMethod]
    public void EvaluateChecksItsColumns()
    {
        var data = Ml.Data.LoadFromImage(Scene(8));
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.IINR.Evaluate(data));
        StringAssert.Contains(e.Message, "Column 'Reconstruction' not found");
        var rows = new[] { new Pair { Truth = [0, 0, 0], Guess = [0, 0, 0] } };
        var grey = Ml.Transforms.IINR.Evaluate(Ml.Data.LoadFromEnumerable(rows), "Truth", "Guess");
        Assert.AreEqual(0.0, grey.MeanSquaredError);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.IINR.EvaluateOccupancy(Ml.Data.LoadFromEnumerable(rows), 0.5f, "Truth", "Guess"));
        StringAssert.Contains(e.Message, "Column 'Truth' must be Vector<Single, 1>, found Vector<Single, 3>");
    }

    [TestMethod]
    public void OccupancyIoUFromArraysAndDataViews()
    {
        float[] truth = [1, 1, 0, 0, 1];
        float[] guess = [0.9f, 0.2f, 0.7f, 0.1f, 0.6f];
        // Occupied at 0.5: truth {0, 1, 4}, guess {0, 2, 4}: intersection 2, union 4.
        var metrics = OccupancyMetrics.FromArrays(truth, guess);
        Assert.AreEqual(0.5, metrics.IoU, 1e-12);
        Assert.AreEqual(0.5f, metrics.Threshold);
        Assert.AreEqual(5L, metrics.Count);
        // At 0.65: guess {0, 2}; intersection {0}, union {0, 1, 2, 4}.
        Assert.AreEqual(0.25, OccupancyMetrics.FromArrays(truth, guess, threshold: 0.65f).IoU, 1e-12);
        Assert.ThrowsExactly<ArgumentException>(() => OccupancyMetrics.FromArrays(truth, guess.AsSpan(1)));

        var scored = new ArrayDataView(new ArrayDataView.Column("Signal", 1, truth), new ArrayDataView.Column("Reconstruction", 1, guess));
        var fromView = Ml.Transforms.IINR.EvaluateOccupancy(scored);
        Assert.AreEqual(0.5, fromView.IoU, 1e-12);
        Assert.AreEqual(5L, fromView.Count);
    }

    public sealed class Pair
    {
        [VectorType(3)]
        public float[] Truth { get; set; } = [];
        [VectorType(3)]
        public float[] Guess { get; set; } = [];
    }
}
