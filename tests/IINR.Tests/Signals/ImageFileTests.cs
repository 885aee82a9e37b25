using IINR.Signals;
using SkiaSharp;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class ImageFileTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iinr-imagefile-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    internal static SignalImage Levels(int width, int height, int channels)
    {
        // Exact 8-bit levels k/255, all different, so a round trip must be lossless.
        var image = new SignalImage(width, height, channels);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (i * 37 % 256) / 255f;
        return image;
    }

    [TestMethod]
    public void GreyPngRoundTripIsExactAndWritesAGreyPng()
    {
        var image = Levels(7, 5, 1);
        string path = PathOf("grey.png");
        ImageFile.SavePng(image, path);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.AreEqual(8, bytes[24], "bit depth");
        Assert.AreEqual(0, bytes[25], "PNG colour type 0 = grey");
        var loaded = ImageFile.Load(path);
        Assert.AreEqual(1, loaded.Channels);
        CollectionAssert.AreEqual(image.Data, loaded.Data);
    }

    [TestMethod]
    public void RgbPngRoundTripIsExactAndWritesAnRgbPng()
    {
        var image = Levels(6, 4, 3);
        string path = PathOf("rgb.png");
        ImageFile.SavePng(image, path);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.AreEqual(2, bytes[25], "PNG colour type 2 = RGB, no alpha");
        var loaded = ImageFile.Load(path);
        Assert.AreEqual((6, 4, 3), (loaded.Width, loaded.Height, loaded.Channels));
        CollectionAssert.AreEqual(image.Data, loaded.Data);
    }

    [TestMethod]
    public void SavePngClampsAndRounds()
    {
        var image = new SignalImage(6, 1, 1, [-0.3f, 1.7f, float.NaN, 0.5f, 1.4f / 255f, 1.6f / 255f]);
        string path = PathOf("clamp.png");
        ImageFile.SavePng(image, path);
        var loaded = ImageFile.Load(path);
        float[] expected = [0f, 1f, 0f, 128 / 255f, 1 / 255f, 2 / 255f];
        CollectionAssert.AreEqual(expected, loaded.Data);
    }

    [TestMethod]
    public void RgbaPngDropsAlphaAndKeepsStoredColours()
    {
        // Written by the test's own encoder: 8-bit RGBA with partial and zero alpha.
        int[] samples = [10, 20, 30, 255, 200, 100, 50, 128, 90, 180, 250, 0, 1, 2, 3, 77];
        string path = PathOf("rgba.png");
        File.WriteAllBytes(path, PngTestEncoder.Encode(2, 2, 8, 6, samples));

        var loaded = ImageFile.Load(path);
        Assert.AreEqual(3, loaded.Channels);
        for (int p = 0; p < 4; p++)
            for (int c = 0; c < 3; c++)
                Assert.AreEqual(samples[4 * p + c] / 255f, loaded.Data[3 * p + c], $"pixel {p} channel {c}");
    }

    [TestMethod]
    public void GreyAlphaPngGivesOneChannel()
    {
        int[] samples = [0, 255, 60, 10, 120, 128, 255, 0];
        string path = PathOf("greyalpha.png");
        File.WriteAllBytes(path, PngTestEncoder.Encode(4, 1, 8, 4, samples));
        var loaded = ImageFile.Load(path);
        Assert.AreEqual(1, loaded.Channels);
        CollectionAssert.AreEqual(new[] { 0f, 60 / 255f, 120 / 255f, 1f }, loaded.Data);
    }

    // 16-bit samples chosen so that their nearest 8-bit level is at least 1e-3 away: 8-bit decoding fails the test.
    private static int[] SixteenBitSamples(int count)
    {
        var samples = new int[count];
        for (int i = 0; i < count; i++) samples[i] = (0x1234 + i * 2999) % 65000 / 257 * 257 + 128;   // 257k + 128, k ≤ 252
        return samples;
    }

    private static void AssertSixteenBit(int[] samples, SignalImage loaded)
    {
        Assert.AreEqual(samples.Length, loaded.Data.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            double expected = samples[i] / 65535.0;
            Assert.AreEqual(expected, loaded.Data[i], 1e-6, $"sample {i}");
            Assert.IsGreaterThan(1e-3, Math.Abs(Math.Round(expected * 255) / 255 - expected), "test value must not be an 8-bit level");
        }
    }

    [TestMethod]
    public void SixteenBitGreyPngKeepsSixteenBitPrecision()
    {
        int[] samples = SixteenBitSamples(5 * 3);
        string path = PathOf("grey16.png");
        File.WriteAllBytes(path, PngTestEncoder.Encode(5, 3, 16, 0, samples));
        var loaded = ImageFile.Load(path);
        Assert.AreEqual((5, 3, 1), (loaded.Width, loaded.Height, loaded.Channels));
        AssertSixteenBit(samples, loaded);
    }

    [TestMethod]
    public void SixteenBitRgbPngKeepsSixteenBitPrecision()
    {
        int[] samples = SixteenBitSamples(4 * 3 * 3);
        string path = PathOf("rgb16.png");
        File.WriteAllBytes(path, PngTestEncoder.Encode(4, 3, 16, 2, samples));
        var loaded = ImageFile.Load(path);
        Assert.AreEqual((4, 3, 3), (loaded.Width, loaded.Height, loaded.Channels));
        AssertSixteenBit(samples, loaded);
    }

    [TestMethod]
    public void SixteenBitInterlacedRgbaPngDecodes()
    {
        const int width = 11, height = 9;
        int[] rgba = SixteenBitSamples(width * height * 4);
        string path = PathOf("rgba16-adam7.png");
        File.WriteAllBytes(path, PngTestEncoder.Encode(width, height, 16, 6, rgba, interlaced: true));
        var loaded = ImageFile.Load(path);
        Assert.AreEqual((width, height, 3), (loaded.Width, loaded.Height, loaded.Channels));
        int[] rgb = [.. rgba.Where((_, i) => i % 4 != 3)];
        AssertSixteenBit(rgb, loaded);
    }

    [TestMethod]
    public void BmpLoads()
    {
        // A hand-written 3×2 24-bit BMP: bottom-up rows, BGR order, rows padded to 4 bytes.
        byte[][] rgbRows = [[255, 0, 0, 0, 255, 0, 0, 0, 255], [10, 20, 30, 40, 50, 60, 70, 80, 90]];
        int rowSize = 12, pixelBytes = rowSize * 2;
        var bmp = new byte[54 + pixelBytes];
        "BM"u8.CopyTo(bmp);
        BitConverter.TryWriteBytes(bmp.AsSpan(2), bmp.Length);
        BitConverter.TryWriteBytes(bmp.AsSpan(10), 54);
        BitConverter.TryWriteBytes(bmp.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bmp.AsSpan(18), 3);
        BitConverter.TryWriteBytes(bmp.AsSpan(22), 2);
        BitConverter.TryWriteBytes(bmp.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bmp.AsSpan(28), (short)24);
        BitConverter.TryWriteBytes(bmp.AsSpan(34), pixelBytes);
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                for (int c = 0; c < 3; c++)
                    bmp[54 + (1 - y) * rowSize + 3 * x + (2 - c)] = rgbRows[y][3 * x + c];
        string path = PathOf("image.bmp");
        File.WriteAllBytes(path, bmp);

        var loaded = ImageFile.Load(path);
        Assert.AreEqual((3, 2, 3), (loaded.Width, loaded.Height, loaded.Channels));
        for (int y = 0; y < 2; y++)
            for (int i = 0; i < 9; i++)
                Assert.AreEqual(rgbRows[y][i] / 255f, loaded.Data[y * 9 + i], $"row {y} value {i}");
    }

    [TestMethod]
    public void JpegLoadsGreyAsOneChannelAndColourAsThree()
    {
        // Smooth content, so that chroma subsampling costs little; a channel mix-up would cost a lot.
        var gradient = new SignalImage(32, 32, 3);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                (gradient[x, y, 0], gradient[x, y, 1], gradient[x, y, 2]) = (x / 31f, y / 31f, 0.2f + 0.01f * x);
        foreach (var image in new[] { gradient.ToGrey(), gradient })
        {
            byte[] jpeg = EncodeJpeg(image);
            string path = PathOf($"scene{image.Channels}.jpg");
            File.WriteAllBytes(path, jpeg);
            var loaded = ImageFile.Load(path);
            Assert.AreEqual(image.Channels, loaded.Channels);
            Assert.IsLessThan(0.01, Math.Sqrt(ImageMetrics.Mse(image, loaded)), "quality-100 JPEG stays close");
        }
    }

    private static byte[] EncodeJpeg(SignalImage image)
    {
        bool grey = image.Channels == 1;
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                byte Channel(int c) => (byte)Math.Round(image[x, y, grey ? 0 : c] * 255);
                bitmap.SetPixel(x, y, new SKColor(Channel(0), Channel(1), Channel(2)));
            }
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 100);
        return data.ToArray();
    }

    [TestMethod]
    public void MissingFileGivesFileNotFoundNamingThePath()
    {
        string path = PathOf("missing.png");
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ImageFile.Load(path));
        Assert.AreEqual(path, e.FileName);
        Assert.Contains(path, e.Message);
    }

    [TestMethod]
    public void NonImageFileGivesInvalidDataNamingPathAndContent()
    {
        string path = PathOf("notes.png");
        File.WriteAllText(path, "hello, not a picture");
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("unrecognised content", e.Message);
        Assert.Contains("68656C6C6F", e.Message, "the first bytes, in hex");
    }

    [TestMethod]
    public void UnsupportedFormatIsNamed()
    {
        string path = PathOf("anim.gif");
        File.WriteAllBytes(path, [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("GIF", e.Message);
    }

    [TestMethod]
    public void TruncatedPngGivesInvalidData()
    {
        byte[] full = ImageFile.EncodePng(TestScene.Render(32, 32, 1));
        string path = PathOf("truncated.png");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("PNG", e.Message);
    }

    [TestMethod]
    public void DamagedSixteenBitPngGivesInvalidData()
    {
        byte[] png = PngTestEncoder.Encode(4, 4, 16, 0, SixteenBitSamples(16));
        png[45] ^= 0x5A;   // inside the IDAT payload: its CRC no longer matches
        string path = PathOf("damaged16.png");
        File.WriteAllBytes(path, png);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("CRC", e.Message);
    }
}
