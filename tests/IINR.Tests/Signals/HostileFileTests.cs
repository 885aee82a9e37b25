using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using IINR.Signals;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals;

/// <summary>
/// Crafted and oversized files against the readers: each fails with a named error before allocating what its header
/// claims (issue 14: a 100000×100000 PNG header crashed the process; a 20000×20000 PNG took 6.4 GB).
/// </summary>
[TestClass]
public sealed class HostileFileTests
{
    private string _directory = "";

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iinr-hostile-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A PNG whose IHDR declares <paramref name="width"/>×<paramref name="height"/>, with a little real image data.</summary>
    internal static byte[] CraftedPng(int width, int height, int bitDepth = 8, int colourType = 2)
    {
        static byte[] Chunk(string type, byte[] data)
        {
            var chunk = new byte[12 + data.Length];
            BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 4);
            data.CopyTo(chunk, 8);
            BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
            return chunk;
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colourType;
        var zeros = new MemoryStream();
        using (var z = new ZLibStream(zeros, CompressionLevel.Optimal, leaveOpen: true)) z.Write(new byte[1000]);
        return [137, 80, 78, 71, 13, 10, 26, 10, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", zeros.ToArray()), .. Chunk("IEND", [])];
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    /// <summary>A 24-bit BMP header declaring <paramref name="width"/>×<paramref name="height"/> followed by <paramref name="pixelBytes"/> zero bytes.</summary>
    private static byte[] CraftedBmp(int width, int height, int pixelBytes = 64)
    {
        var bmp = new byte[54 + pixelBytes];
        "BM"u8.CopyTo(bmp);
        BitConverter.TryWriteBytes(bmp.AsSpan(2), bmp.Length);
        BitConverter.TryWriteBytes(bmp.AsSpan(10), 54);
        BitConverter.TryWriteBytes(bmp.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bmp.AsSpan(18), width);
        BitConverter.TryWriteBytes(bmp.AsSpan(22), height);
        BitConverter.TryWriteBytes(bmp.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bmp.AsSpan(28), (short)24);
        return bmp;
    }

    [TestMethod]
    public void AHugePngHeaderIsRefusedBeforeAnyAllocation()
    {
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        foreach (var (bitDepth, colourType) in new[] { (8, 2), (8, 0), (16, 0), (16, 6) })
        {
            string path = Write($"huge-{bitDepth}-{colourType}.png", CraftedPng(100_000, 100_000, bitDepth, colourType));
            var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
            StringAssert.Contains(e.Message, "100000×100000");
            StringAssert.Contains(e.Message, "ImageFile.MaxPixels");
            Assert.AreEqual(ImageFile.MaxPixels, e.Data[ImageFile.PixelLimitKey]);
            Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Decode(File.ReadAllBytes(path), path));
        }
        // A header whose size does not fit 31 bits (negative as an int) is damaged, not huge.
        var negative = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(Write("negative.png", CraftedPng(-5, 10))));
        StringAssert.Contains(negative.Message, "damaged");
        Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds, "refused from the header, not after decoding");
        Assert.IsLessThan(200L << 20, Process.GetCurrentProcess().PeakWorkingSet64 - before, "no pixel buffer was allocated");
    }

    [TestMethod]
    public void AHugeBmpHeaderIsRefused()
    {
        string path = Write("huge.bmp", CraftedBmp(100_000, 100_000));
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path));
        StringAssert.Contains(e.Message, path);
    }

    [TestMethod]
    public void ThePixelCapHoldsForEveryFormatAndIsConfigurable()
    {
        var image = TestScene.Render(16, 16);
        var files = new[]
        {
            Write("scene.png", ImageFile.EncodePng(image)),
            Write("scene16.png", PngTestEncoder.Encode(16, 16, 16, 0, new int[256])),
            Write("scene.bmp", CraftedBmp(16, 16, 16 * 16 * 3)),
        };
        Assert.AreEqual(ImageFile.DefaultMaxPixels, ImageFile.MaxPixels);
        try
        {
            ImageFile.MaxPixels = 255;
            foreach (var path in files)
            {
                var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(path), path);
                StringAssert.Contains(e.Message, "16×16 = 256 pixels, more than the limit of 255");
            }
            ImageFile.MaxPixels = 256;
            foreach (var path in files) Assert.AreEqual(16, ImageFile.Load(path).Width, path);
        }
        finally
        {
            ImageFile.MaxPixels = ImageFile.DefaultMaxPixels;
        }
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageFile.MaxPixels = 0);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageFile.MaxPixels = ImageFile.LargestMaxPixels + 1);
    }

    [TestMethod]
    public void ADeviceADirectoryAndAnOversizedFileAreNamed()
    {
        // /dev/zero is refused on its first bytes, not read for ever.
        var zero = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load("/dev/zero"));
        StringAssert.Contains(zero.Message, "unrecognised content");
        var directory = Assert.ThrowsExactly<FileNotFoundException>(() => ImageFile.Load(_directory));
        StringAssert.Contains(directory.Message, "is a directory");
        // A PNG of 16×16 pixels followed by more bytes than any image of the limit takes.
        try
        {
            ImageFile.MaxPixels = 256;
            string padded = Write("padded.png", [.. ImageFile.EncodePng(TestScene.Render(16, 16)), .. new byte[70 << 20]]);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => ImageFile.Load(padded));
            StringAssert.Contains(e.Message, "more than any image of at most 256 pixels takes");
        }
        finally
        {
            ImageFile.MaxPixels = ImageFile.DefaultMaxPixels;
        }
    }

    [TestMethod]
    public void AZlibBombIn16BitPngIsReadOnlyAsFarAsItsImage()
    {
        // 4×4 16-bit grey needs 4·(1 + 8) = 36 bytes; the IDAT inflates to 64 MB of zeros.
        var bomb = new MemoryStream();
        using (var z = new ZLibStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) z.Write(zeros);
        }
        var crafted = CraftedPng(4, 4, 16, 0);
        // Swap the crafted file's IDAT payload for the bomb.
        int idat = 8 + 25;
        byte[] chunk = [.. new byte[4], .. "IDAT"u8, .. bomb.ToArray(), .. new byte[4]];
        BinaryPrimitives.WriteInt32BigEndian(chunk, (int)bomb.Length);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(chunk.Length - 4), Crc(chunk.AsSpan(4, chunk.Length - 8)));
        byte[] file = [.. crafted.AsSpan(0, idat), .. chunk, .. crafted.AsSpan(crafted.Length - 12)];
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var image = ImageFile.Load(Write("bomb16.png", file));
        Assert.AreEqual((4, 4, 1), (image.Width, image.Height, image.Channels));
        Assert.IsTrue(image.Data.All(v => v == 0));
        Assert.IsLessThan(48L << 20, Process.GetCurrentProcess().PeakWorkingSet64 - before, "inflating stopped at the image's 36 bytes");
    }

    [TestMethod]
    public void StreamedPngsRoundTripAcrossBands()
    {
        // 1500×800 = 1.2 megapixels: more than one band of the encoder.
        var image = new SignalImage(1500, 800, 3);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (int)((long)i * 7919 % 256) / 255f;
        string path = Path.Combine(_directory, "big.png");
        ImageFile.SavePng(image, path);
        CollectionAssert.AreEqual(image.Data, ImageFile.Load(path).Data);

        // The band-by-band writer asks for every row once, in order.
        var asked = new List<(int, int)>();
        ImageFile.SavePng(path, 1500, 800, 1, (first, rows, values) => { asked.Add((first, rows)); values.Fill(0.5f); });
        Assert.AreEqual(800, asked.Sum(a => a.Item2));
        Assert.IsGreaterThan(1, asked.Count);
        Assert.IsTrue(ImageFile.Load(path).Data.All(v => v == 128 / 255f));
    }

    [TestMethod]
    public void OversizedObjLinesAndVolumesAreRefused()
    {
        string noBreaks = Path.Combine(_directory, "flat.obj");
        File.WriteAllText(noBreaks, "v " + new string('1', ObjFile.MaxLineLength + 10));
        var line = Assert.ThrowsExactly<InvalidDataException>(() => ObjFile.Read(noBreaks));
        StringAssert.Contains(line.Message, "line 1");
        StringAssert.Contains(line.Message, "ObjFile.MaxLineLength");
        Assert.ThrowsExactly<FileNotFoundException>(() => ObjFile.Read(_directory));

        // A volume header of 2048×2048×2048 (each side allowed) with no data: refused from the header.
        var header = new byte[20];
        "IINROCC1"u8.CopyTo(header);
        for (int a = 0; a < 3; a++) BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8 + 4 * a), 2048);
        var volume = Assert.ThrowsExactly<InvalidDataException>(() => OccupancyVolume.Read(new MemoryStream(header), "huge.occ"));
        StringAssert.Contains(volume.Message, "more than 134,217,728");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Voxelizer.WindingNumbers(Shapes.Cube(), 513));
    }

    [TestMethod]
    public void OversizedBuffersAreRefusedBeforeWork()
    {
        var image = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SignalImage(14000, 14000, 3));
        StringAssert.Contains(image.Message, "14000×14000×3");
        StringAssert.Contains(image.Message, "2 GiB");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PixelGrid.Coordinates(20000, 20000));
        // A band of the same grid is fine.
        Assert.HasCount(20000 * 2 * 2, PixelGrid.Coordinates(20000, 20000, 1, 1, 100, 2));
    }
}
