using SkiaSharp;

namespace IINR.Signals;

/// <summary>Reads and writes image files (PNG, JPEG, BMP) as <see cref="SignalImage"/> rasters.</summary>
/// <remarks>
/// Decoding uses SkiaSharp, except 16-bit PNGs, which a small managed decoder reads so their full precision
/// survives (SkiaSharp strips 16-bit grey to 8 bits). Values become stored value / maximum (255 or 65535), with no
/// gamma or colour-profile conversion and no EXIF orientation applied. Grey files (grey or grey+alpha PNG, grey
/// JPEG) give 1 channel; everything else gives 3 (RGB). An alpha channel is dropped: the colour channels are
/// returned as stored (unpremultiplied), not composited over any background.
/// <para>Hostile or damaged files fail with an <see cref="InvalidDataException"/> in bounded memory: the image size is read
/// from the header and checked against <see cref="MaxPixels"/> before any pixel buffer is allocated, and the file is read
/// only up to the size such an image can take. PNGs are written by a streaming encoder, so an image of any size can be
/// written band by band (<see cref="SavePng(string, int, int, int, ImageRowSource)"/>).</para>
/// </remarks>
public static class ImageFile
{
    /// <summary>The default of <see cref="MaxPixels"/>: 64 megapixels (8192×8192).</summary>
    public const long DefaultMaxPixels = 8192L * 8192;

    /// <summary>The largest value <see cref="MaxPixels"/> accepts: a 3-channel image of that many pixels fills one
    /// buffer (<see cref="SizeLimits.MaxFloats"/> values).</summary>
    public const long LargestMaxPixels = SizeLimits.MaxFloats / 3;

    /// <summary>The key of <see cref="Exception.Data"/> that holds the pixel limit when an image was refused for its size.</summary>
    public const string PixelLimitKey = "IINR.ImageFile.MaxPixels";

    // The first bytes read from a file: enough for the signature and, for a PNG, its header.
    private const int HeadLength = 64;

    private static long s_maxPixels = DefaultMaxPixels;

    /// <summary>
    /// The largest image (width × height) <see cref="Load"/> and <see cref="Decode"/> accept, process-wide; default
    /// <see cref="DefaultMaxPixels"/>. Checked against the size the file's header declares, before anything is allocated.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value below 1 or above <see cref="LargestMaxPixels"/>.</exception>
    public static long MaxPixels
    {
        get => Volatile.Read(ref s_maxPixels);
        set
        {
            if (value < 1 || value > LargestMaxPixels)
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The pixel limit must be between 1 and {SizeLimits.Format(LargestMaxPixels)}; got {value}.");
            Volatile.Write(ref s_maxPixels, value);
        }
    }

    /// <summary>Loads a PNG (8- or 16-bit), JPEG or BMP file.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or is a directory.</exception>
    /// <exception cref="InvalidDataException">The image has more than <see cref="MaxPixels"/> pixels (its <see cref="Exception.Data"/>
    /// holds the limit under <see cref="PixelLimitKey"/>), or the file is not a PNG, JPEG or BMP image, or is damaged; the message names the path and what was found.</exception>
    public static SignalImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not an image file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{path}' was not found.", path);
        return Decode(ReadBounded(path), path);
    }

    /// <summary>Decodes an in-memory PNG (8- or 16-bit), JPEG or BMP file, e.g. an embedded resource.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="sourceName">A name for error messages (a path or resource name).</param>
    /// <exception cref="InvalidDataException">The image has more than <see cref="MaxPixels"/> pixels (see <see cref="Load"/>), or the bytes are not a PNG, JPEG or BMP image, or are damaged.</exception>
    public static SignalImage Decode(byte[] encoded, string sourceName = "<in-memory image>")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(sourceName);
        string kind = Sniff(encoded, encoded.Length);
        if (kind is not ("PNG" or "JPEG" or "BMP"))
            throw new InvalidDataException($"'{sourceName}' is not a PNG, JPEG or BMP image: found {kind}.");

        var pngHeader = SixteenBitPngDecoder.ReadHeader(encoded);
        if (kind == "PNG" && pngHeader is null)
            throw new InvalidDataException($"'{sourceName}' has a PNG signature but no IHDR header chunk ({encoded.Length} bytes; truncated or damaged).");
        if (pngHeader is { } h) CheckSize(h.Width, h.Height, sourceName);
        if (pngHeader is { BitDepth: 16 })
        {
            try { return SixteenBitPngDecoder.Decode(encoded); }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{sourceName}' is a damaged 16-bit PNG: {e.Message}.", e);
            }
        }
        return DecodeWithSkia(encoded, sourceName, kind, pngHeader?.ColourType);
    }

    /// <summary>Writes an 8-bit PNG: 1 channel as grey, 3 channels as RGB; values are clamped to [0, 1] and rounded to the nearest of 256 levels (NaN → 0).</summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    /// <param name="path">The file to create or replace, atomically (<see cref="AtomicFile"/>).</param>
    public static void SavePng(SignalImage image, string path)
    {
        CheckPngChannels(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, s => PngEncoder.Write(s, image.Width, image.Height, image.Channels, RowsOf(image)));
    }

    /// <summary>
    /// Writes an 8-bit PNG of any size band by band, with the conventions of <see cref="SavePng(SignalImage, string)"/>:
    /// <paramref name="rows"/> is asked for bands of rows (at most about a million pixels each) in order, so memory stays
    /// bounded however large the image is.
    /// </summary>
    /// <param name="path">The file to create or replace, atomically (<see cref="AtomicFile"/>).</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="rows">Fills a band of rows (row-major, channel-interleaved values).</param>
    public static void SavePng(string path, int width, int height, int channels, ImageRowSource rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "PNG output needs 1 (grey) or 3 (RGB) channels.");
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.Write(path, s => PngEncoder.Write(s, width, height, channels, rows));
    }

    /// <summary>Encodes an 8-bit PNG in memory, with the conventions of <see cref="SavePng(SignalImage, string)"/>.</summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    public static byte[] EncodePng(SignalImage image)
    {
        CheckPngChannels(image);
        using var buffer = new MemoryStream();
        PngEncoder.Write(buffer, image.Width, image.Height, image.Channels, RowsOf(image));
        return buffer.ToArray();
    }

    /// <summary>
    /// The image as 8-bit RGBA pixels (4 bytes per pixel, row-major, opaque; grey is replicated to R, G and B),
    /// quantised as in <see cref="SavePng(SignalImage, string)"/>: what 8-bit image types such as ML.NET's MLImage hold.
    /// </summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    public static byte[] ToRgba32(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"8-bit RGBA needs 1 (grey) or 3 (RGB) channels; the image is {image.Shape}.", nameof(image));
        var pixels = new byte[image.Width * image.Height * 4];
        ToRgba32(image.Data, image.Channels, pixels);
        return pixels;
    }

    /// <summary>Quantises pixels of 1 or 3 channels into 8-bit RGBA, as <see cref="ToRgba32(SignalImage)"/> does: a band of an image at a time.</summary>
    /// <param name="values">Pixels, channel-interleaved.</param>
    /// <param name="channels">1 (grey) or 3 (RGB).</param>
    /// <param name="destination">4 bytes per pixel.</param>
    public static void ToRgba32(ReadOnlySpan<float> values, int channels, Span<byte> destination)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "8-bit RGBA needs 1 (grey) or 3 (RGB) channels.");
        int pixelCount = values.Length / channels;
        if (destination.Length < 4L * pixelCount)
            throw new ArgumentException($"The destination holds {destination.Length} bytes; {pixelCount} pixels need {4L * pixelCount}.", nameof(destination));
        for (int i = 0; i < pixelCount; i++)
        {
            for (int c = 0; c < 3; c++) destination[4 * i + c] = ToByte(values[i * channels + (channels == 1 ? 0 : c)]);
            destination[4 * i + 3] = 255;
        }
    }

    /// <summary>The 8-bit level a PNG stores for <paramref name="value"/>: clamped to [0, 1], rounded to the nearest of 256 levels, NaN → 0.</summary>
    internal static byte ToByte(float value) => value >= 1 ? (byte)255 : value > 0 ? (byte)(value * 255f + 0.5f) : (byte)0;

    private static ImageRowSource RowsOf(SignalImage image)
    {
        int rowValues = image.Width * image.Channels;
        return (firstRow, rowCount, destination) => image.Data.AsSpan(firstRow * rowValues, rowCount * rowValues).CopyTo(destination);
    }

    private static void CheckPngChannels(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"PNG output needs 1 (grey) or 3 (RGB) channels; the image is {image.Shape}.", nameof(image));
    }

    // The file's bytes, read only as far as an image within MaxPixels can reach: a file that is no image fails on its
    // first bytes (so /dev/zero or a huge foreign file costs nothing) and a PNG on its header's size.
    private static byte[] ReadBounded(string path)
    {
        long maxPixels = MaxPixels;
        // The largest encoding of such an image: an uncompressed 16-bit RGBA PNG (8 bytes a pixel), plus room for metadata.
        long limit = maxPixels * 8 + (64L << 20);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var head = new byte[HeadLength];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        // A device (/dev/zero) can seek but reports length 0: then the length is unknown.
        long? length = stream.CanSeek && stream.Length >= got ? stream.Length : null;
        string kind = Sniff(head.AsSpan(0, got), length);
        if (kind is not ("PNG" or "JPEG" or "BMP"))
            throw new InvalidDataException($"'{path}' is not a PNG, JPEG or BMP image: found {kind}.");
        if (SixteenBitPngDecoder.ReadHeader(head.AsSpan(0, got)) is { } png) CheckSize(png.Width, png.Height, path);
        if (length is long size && size > limit)
            throw new InvalidDataException($"'{path}' is a {kind} file of {SizeLimits.Gigabytes(size)}, more than any image of at most " +
                $"{SizeLimits.Format(maxPixels)} pixels takes (ImageFile.MaxPixels); it is damaged or not an image of a supported size.");
        using var all = new MemoryStream();
        all.Write(head, 0, got);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (all.Length + n > limit)
                throw new InvalidDataException($"'{path}' holds more than {SizeLimits.Gigabytes(limit)}, more than any image of at most " +
                    $"{SizeLimits.Format(maxPixels)} pixels takes (ImageFile.MaxPixels); it is damaged or not an image of a supported size.");
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }

    // The size a header declares, checked against MaxPixels in 64-bit arithmetic before anything is allocated.
    private static void CheckSize(int width, int height, string sourceName)
    {
        if (width < 1 || height < 1)
            throw new InvalidDataException($"'{sourceName}' declares an image of {(uint)width}×{(uint)height} pixels in its header (damaged).");
        long maxPixels = MaxPixels;
        if ((long)width * height > maxPixels)
        {
            var e = new InvalidDataException($"'{sourceName}' declares {width}×{height} = {SizeLimits.Format((long)width * height)} pixels, " +
                $"more than the limit of {SizeLimits.Format(maxPixels)} (ImageFile.MaxPixels); it was not decoded.");
            e.Data[PixelLimitKey] = maxPixels;
            throw e;
        }
    }

    private static SignalImage DecodeWithSkia(byte[] encoded, string sourceName, string kind, int? pngColourType)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"'{sourceName}' starts like a {kind} file ({encoded.Length} bytes) but SkiaSharp cannot read its header (damaged or truncated).");
        SKImageInfo source = codec.Info;
        CheckSize(source.Width, source.Height, sourceName);
        var info = new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // 4 bytes a pixel of at most LargestMaxPixels pixels: well within one array (SKImageInfo.BytesSize is an int and would wrap).
        var pixels = new byte[4L * source.Width * source.Height];
        SKCodecResult result = codec.GetPixels(info, pixels);
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"'{sourceName}' is a damaged or truncated {kind} file ({source.Width}×{source.Height}, {encoded.Length} bytes): SkiaSharp reports {result}.");

        bool grey = pngColourType is int t ? t is 0 or 4 : source.ColorType == SKColorType.Gray8;
        int channels = grey ? 1 : 3, pixelCount = source.Width * source.Height;
        var image = new SignalImage(source.Width, source.Height, channels);
        float[] values = image.Data;
        for (int i = 0; i < pixelCount; i++)
            for (int c = 0; c < channels; c++)
                values[i * channels + c] = pixels[4 * i + c] / 255f;
        return image;
    }

    // A short description of the file's format from its first bytes, for dispatch and error messages.
    private static string Sniff(ReadOnlySpan<byte> bytes, long? length)
    {
        if (bytes.Length == 0) return "an empty file";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[137, 80, 78, 71, 13, 10, 26, 10])) return "PNG";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (bytes.StartsWith("BM"u8)) return "BMP";
        if (bytes.StartsWith("GIF8"u8)) return "a GIF image";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8)) return "a WebP image";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A])) return "a TIFF image";
        ReadOnlySpan<byte> head = bytes[..Math.Min(8, bytes.Length)];
        string size = length is long n ? $"{n} bytes" : "a stream";
        return $"unrecognised content ({size} starting {Convert.ToHexString(head)})";
    }
}
