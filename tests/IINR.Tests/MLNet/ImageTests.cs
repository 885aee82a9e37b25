using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Tests.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>mlContext.Data.LoadFromImage / LoadFromOccupancy, RenderImage at any resolution, and super-resolution fitting (TrainingScale).</summary>
[TestClass]
public sealed class ImageTests
{
    private static readonly MLContext Ml = new(seed: 0);
    private string _dir = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("iinr-mlnet-image-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    private static int Annotation(DataViewSchema.Column column, string kind)
    {
        int value = 0;
        column.Annotations.GetValue(kind, ref value);
        return value;
    }

    [TestMethod]
    public void LoadFromSignalImageGivesOneRowPerPixelWithItsSizeAsAnnotations()
    {
        var image = Scene(7);
        image = Resampling.Crop(image, 0, 0, 7, 5); // not square: the frame is [-1, 1]×[-5/7, 5/7]
        var data = Ml.Data.LoadFromImage(image);

        Assert.AreEqual(35L, data.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 2), data.Schema["Coordinates"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), data.Schema["Signal"].Type);
        CollectionAssert.AreEqual(PixelGrid.Coordinates(7, 5), ReadFlat(data, "Coordinates"));
        CollectionAssert.AreEqual(image.Data, ReadFlat(data, "Signal"));
        foreach (var name in new[] { "Coordinates", "Signal" })
        {
            Assert.AreEqual(7, Annotation(data.Schema[name], IINRAnnotations.ImageWidth), name);
            Assert.AreEqual(5, Annotation(data.Schema[name], IINRAnnotations.ImageHeight), name);
        }
        Assert.AreEqual(3, Annotation(data.Schema["Signal"], IINRAnnotations.ImageChannels));

        // The view copies the pixels: changing the image afterwards changes nothing.
        image.Data[0] = 42;
        Assert.AreNotEqual(42f, ReadFlat(data, "Signal")[0]);
        // Custom column names.
        var renamed = Ml.Data.LoadFromImage(image, "XY", "RGB");
        CollectionAssert.AreEqual(new[] { "XY", "RGB" }, renamed.Schema.Select(c => c.Name).ToArray());
    }

    [TestMethod]
    public void LoadFromImageFileReadsGreyRgbRgbaAndSixteenBitPngs()
    {
        int[] grey = [0, 51, 102, 153, 204, 255];
        int[] rgba = [255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
        int[] grey16 = [0, 1, 257, 1000, 40000, 65535];
        var cases = new (string Name, byte[] Png, int Channels, float[] Expected)[]
        {
            ("grey.png", PngTestEncoder.Encode(3, 2, 8, 0, grey), 1, [.. grey.Select(v => v / 255f)]),
            ("rgb.png", PngTestEncoder.Encode(3, 2, 8, 2, [.. rgba.Where((_, i) => i % 4 != 3)]), 3, [.. rgba.Where((_, i) => i % 4 != 3).Select(v => v / 255f)]),
            ("rgba.png", PngTestEncoder.Encode(3, 2, 8, 6, rgba), 3, [.. rgba.Where((_, i) => i % 4 != 3).Select(v => v / 255f)]), // alpha dropped
            ("grey16.png", PngTestEncoder.Encode(3, 2, 16, 0, grey16), 1, [.. grey16.Select(v => v / 65535f)]),
        };
        foreach (var (name, png, channels, expected) in cases)
        {
            string path = Path.Combine(_dir, name);
            File.WriteAllBytes(path, png);
            var data = Ml.Data.LoadFromImage(path);
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, channels), data.Schema["Signal"].Type, name);
            Assert.AreEqual(channels, Annotation(data.Schema["Signal"], IINRAnnotations.ImageChannels), name);
            var actual = ReadFlat(data, "Signal");
            Assert.HasCount(expected.Length, actual, name);
            for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], actual[i], 1e-7f, $"{name} value {i}");
        }
    }

    [TestMethod]
    public void UnsupportedOrMissingFilesGiveClearErrors()
    {
        string gif = Path.Combine(_dir, "anim.gif");
        File.WriteAllBytes(gif, "GIF89a\x01\x00\x01\x00"u8.ToArray());
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Ml.Data.LoadFromImage(gif));
        StringAssert.Contains(e.Message, gif);
        StringAssert.Contains(e.Message, "not a PNG, JPEG or BMP image: found a GIF image");

        string missing = Path.Combine(_dir, "missing.png");
        var e2 = Assert.ThrowsExactly<FileNotFoundException>(() => Ml.Data.LoadFromImage(missing));
        StringAssert.Contains(e2.Message, missing);
    }

    [TestMethod]
    public void LoadFromMLImageGivesRgb()
    {
        var image = Scene(6);
        using var mlImage = image.ToMLImage();
        var data = Ml.Data.LoadFromImage(mlImage);
        Assert.AreEqual(36L, data.GetRowCount());
        var values = ReadFlat(data, "Signal");
        for (int i = 0; i < values.Length; i++)
            Assert.AreEqual(image.Data[i], values[i], 0.5f / 255 + 1e-6f, $"value {i} (8-bit)");
    }

    [TestMethod]
    public void RenderImageSamplesTheFittedFrameAtAnyResolution()
    {
        var image = Resampling.Crop(Scene(20), 0, 0, 20, 12); // 20×12: frame [-1, 1]×[-0.6, 0.6]
        var data = Ml.Data.LoadFromImage(image);
        using var model = Ml.Transforms.IINR.Fit(data, Options(iterations: 40, hiddenSize: 32));
        Assert.AreEqual(ImageFrame.Of(20, 12, 3), model.Image);
        Assert.AreEqual(0.6, model.Image!.ExtentY, 1e-12);

        // At the fitted size: the reconstruction of the training pixels, exactly what Transform gives.
        var same = model.RenderSignalImage(20, 12);
        CollectionAssert.AreEqual(ReadFlat(model.Transform(data), "Reconstruction"), same.Data);

        // At 4×: the same frame on a finer grid; averaging it back gives nearly the fitted-size render.
        var large = model.RenderSignalImage(80, 48);
        Assert.AreEqual((80, 48, 3), (large.Width, large.Height, large.Channels));
        double psnr = ImageMetrics.Psnr(same, Resampling.DownscaleArea(large, 4));
        TestContext.WriteLine($"fitted-size render vs 4× render averaged back: {psnr:F2} dB");
        Assert.IsGreaterThan(20.0, psnr);

        using var png = model.RenderImage(80, 48);
        Assert.AreEqual((80, 48), (png.Width, png.Height));
        string path = Path.Combine(_dir, "render.png");
        png.Save(path);
        var reloaded = ImageFile.Load(path);
        Assert.AreEqual((80, 48, 3), (reloaded.Width, reloaded.Height, reloaded.Channels));
        for (int i = 0; i < large.Data.Length; i += 97)
            Assert.AreEqual(Math.Clamp(large.Data[i], 0f, 1f), reloaded.Data[i], 0.5f / 255 + 1e-6f, $"value {i}");

        // By scale: 1 = the fitted size, 2.5 = 50×30.
        using (var atFitted = model.RenderImage())
            Assert.AreEqual((20, 12), (atFitted.Width, atFitted.Height));
        using (var scaled = model.RenderImage(2.5))
            Assert.AreEqual((50, 30), (scaled.Width, scaled.Height));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.RenderImage(0.0));
    }

    [TestMethod]
    public void RenderingNeedsAnImageFrameAndOneOrThreeChannels()
    {
        var points = Ml.Data.LoadFromEnumerable(Points());
        var noFrameData = Ml.Transforms.Concatenate("Coordinates", "X", "Y").Fit(points).Transform(points); // no annotations
        using var noFrame = Ml.Transforms.IINR.Fit(noFrameData, Options(iterations: 2, hiddenSize: 8));
        Assert.IsNull(noFrame.Image);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => noFrame.RenderImage(8, 8));
        StringAssert.Contains(e.Message, "not fitted to an image");
        e = Assert.ThrowsExactly<InvalidOperationException>(() => noFrame.RenderImage(2.0));
        StringAssert.Contains(e.Message, "not fitted to an image");

        var twoChannels = new SignalImage(6, 6, 2);
        using var model = Ml.Transforms.IINR.Fit(Ml.Data.LoadFromImage(twoChannels), Options(iterations: 2, hiddenSize: 8));
        Assert.AreEqual(2, model.RenderSignalImage(3, 3).Channels);
        e = Assert.ThrowsExactly<InvalidOperationException>(() => model.RenderImage(3, 3));
        StringAssert.Contains(e.Message, "1 (grey) or 3 (RGB) channels");
    }

    [TestMethod]
    public void TrainingScaleFitsThroughAnAverageOfTheFinerRender()
    {
        var observed = Resampling.DownscaleArea(Scene(32), 2); // 16×16
        var data = Ml.Data.LoadFromImage(observed);
        var options = Options(iterations: 150, hiddenSize: 64);
        options.TrainingScale = 2;
        using var model = Ml.Transforms.IINR.Fit(data, options);
        Assert.AreEqual(ImageFrame.Of(16, 16, 3), model.Image, "the frame is the observed image's");

        // What was fitted: the 2× render, averaged over 2×2 cells, matches the observed pixels.
        var render2x = model.RenderSignalImage(32, 32);
        double seen = ImageMetrics.Psnr(observed, Resampling.DownscaleArea(render2x, 2));
        double truth = ImageMetrics.Psnr(Scene(32), render2x);
        double bicubic = ImageMetrics.Psnr(Scene(32), Resampling.UpscaleBicubic(observed, 2));
        TestContext.WriteLine($"TrainingScale 2: pooled render vs observed {seen:F2} dB; 2× render vs the 32×32 scene {truth:F2} dB (bicubic {bicubic:F2} dB)");
        Assert.IsGreaterThan(28.0, seen);
        Assert.IsGreaterThan(15.0, truth);
    }

    [TestMethod]
    public void TrainingScaleNeedsAWholeAnnotatedImage()
    {
        var options = Options(iterations: 2, hiddenSize: 8);
        options.TrainingScale = 2;
        var points = Ml.Data.LoadFromEnumerable(Points());
        var noAnnotations = Ml.Transforms.Concatenate("Coordinates", "X", "Y").Fit(points).Transform(points);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(noAnnotations, options));
        StringAssert.Contains(e.Message, "carry no image size annotations");

        var image = Ml.Data.LoadFromImage(Scene(8));
        var filtered = Ml.Data.TakeRows(image, 60);
        e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(filtered, options));
        StringAssert.Contains(e.Message, "needs the whole 8×8 image (64 rows), but the data has 60 rows");

        options.Model = options.Model with { BatchSize = 16 };
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.IINR.Fit(image, options));
        StringAssert.Contains(e2.Message, "BatchSize");
    }

    [TestMethod]
    public void LoadFromOccupancyGivesVoxelCentresAndZeroOneSignal()
    {
        var volume = new OccupancyVolume(4, 3, 2, new bool[24]);
        volume[1, 2, 1] = true;
        volume[3, 0, 0] = true;
        var data = Ml.Data.LoadFromOccupancy(volume);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), data.Schema["Coordinates"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1), data.Schema["Signal"].Type);
        var coordinates = ReadVectors(data, "Coordinates");
        var signal = ReadFlat(data, "Signal");
        Assert.HasCount(24, coordinates);
        int i = VoxelGrid.Index(1, 2, 1, 4, 3);
        CollectionAssert.AreEqual(new[] { VoxelGrid.Center(1, 4), VoxelGrid.Center(2, 3), VoxelGrid.Center(1, 2) }, coordinates[i]);
        CollectionAssert.AreEqual(volume.ToFloatArray(), signal);
        Assert.AreEqual(2f, signal.Sum());
    }

    [TestMethod]
    public void MLImageRoundTripKeepsRgb()
    {
        var image = ImageFileTests.Levels(5, 3, 3);
        using MLImage ml = image.ToMLImage();
        Assert.AreEqual((5, 3, MLPixelFormat.Rgba32), (ml.Width, ml.Height, ml.PixelFormat));
        Assert.AreEqual((byte)Math.Round(image[1, 0, 2] * 255), ml.Pixels[4 * 1 + 2], "blue of pixel (1, 0)");
        Assert.AreEqual(255, ml.Pixels[3], "opaque");
        CollectionAssert.AreEqual(image.Data, ml.ToSignalImage().Data);
    }

    [TestMethod]
    public void MLImageFromGreyReplicatesAndBgraIsSwapped()
    {
        var grey = ImageFileTests.Levels(4, 2, 1);
        using (MLImage ml = grey.ToMLImage())
        {
            var back = ml.ToSignalImage();
            Assert.AreEqual(3, back.Channels);
            CollectionAssert.AreEqual(grey.Data, back.ToGrey().Data.Select(v => MathF.Round(v * 255) / 255).ToArray());
            Assert.AreEqual(back[3, 1, 0], back[3, 1, 2]);
        }

        using MLImage bgra = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Bgra32, [30, 20, 10, 255]);
        CollectionAssert.AreEqual(new[] { 10 / 255f, 20 / 255f, 30 / 255f }, bgra.ToSignalImage().Data);
    }

    [TestMethod]
    public void LoadFromOccupancySamplesGivesThePointsAndTheirLabels()
    {
        var samples = new OccupancySampler(Shapes.Torus()).Training(50, seed: 1);
        var data = Ml.Data.LoadFromOccupancySamples(samples, "Xyz", "Inside");
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), data.Schema["Xyz"].Type);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1), data.Schema["Inside"].Type);
        CollectionAssert.AreEqual(samples.Coordinates, ReadVectors(data, "Xyz").SelectMany(v => v).ToArray());
        CollectionAssert.AreEqual(samples.Occupancy, ReadFlat(data, "Inside"));
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Data.LoadFromOccupancySamples(samples, "A", "A"));
    }
}
