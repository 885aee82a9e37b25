using System.Runtime.InteropServices;
using SkiaSharp;

namespace IINR.Signals;

/// <summary>Reads and writes image files (PNG, JPEG, BMP) as <see cref="SignalImage"/> rasters.</summary>
/// <remarks>
/// Decoding uses SkiaSharp, except 16-bit PNGs, which a small managed decoder reads so their full precision
/// survives (SkiaSharp strips 16-bit grey to 8 bits). Values become stored value / maximum (255 or 65535), with no
/// gamma or colour-profile conversion and no EXIF orientation applied. Grey files (grey or grey+alpha PNG, grey
/// JPEG) give 1 channel; everything else gives 3 (RGB). An alpha channel is dropped: the colour channels are
/// returned as stored (unpremultiplied), not composited over any background.
/// </remarks>
public static class ImageFile
{
    /// <summary>Loads a PNG (8- or 16-bit), JPEG or BMP file.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a PNG, JPEG or BMP image, or is damaged; the message names the path and what was found.</exception>
    public static SignalImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{path}' was not found.", path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes an in-memory PNG (8- or 16-bit), JPEG or BMP file, e.g. an embedded resource.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="sourceName">A name for error messages (a path or resource name).</param>
    /// <exception cref="InvalidDataException">The bytes are not a PNG, JPEG or BMP image, or are damaged.</exception>
    public static SignalImage Decode(byte[] encoded, string sourceName = "<in-memory image>")
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(sourceName);
        string kind = Sniff(encoded);
        if (kind is not ("PNG" or "JPEG" or "BMP"))
            throw new InvalidDataException($"'{sourceName}' is not a PNG, JPEG or BMP image: found {kind}.");

        var pngHeader = SixteenBitPngDecoder.ReadHeader(encoded);
        if (kind == "PNG" && pngHeader is null)
            throw new InvalidDataException($"'{sourceName}' has a PNG signature but no IHDR header chunk ({encoded.Length} bytes; truncated or damaged).");
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
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, EncodePng(image));
    }

    /// <summary>Encodes an 8-bit PNG in memory, with the conventions of <see cref="SavePng"/>.</summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    public static byte[] EncodePng(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"PNG output needs 1 (grey) or 3 (RGB) channels; the image is {image.Shape}.", nameof(image));

        bool grey = image.Channels == 1;
        byte[] pixels;
        if (grey)
        {
            pixels = new byte[image.Width * image.Height];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = ToByte(image.Data[i]);
        }
        else
        {
            pixels = ToRgba32(image);
        }
        // Opaque RGBA is written by Skia as an RGB PNG (colour type 2), Gray8 as a grey PNG (colour type 0).
        var info = new SKImageInfo(image.Width, image.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using SKData encoded = pixmap.Encode(SKPngEncoderOptions.Default)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode the {image.Shape} image as PNG.");
            return encoded.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// The image as 8-bit RGBA pixels (4 bytes per pixel, row-major, opaque; grey is replicated to R, G and B),
    /// quantised as in <see cref="SavePng"/>: what 8-bit image types such as ML.NET's MLImage hold.
    /// </summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    public static byte[] ToRgba32(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels is not (1 or 3))
            throw new ArgumentException($"8-bit RGBA needs 1 (grey) or 3 (RGB) channels; the image is {image.Shape}.", nameof(image));
        int pixelCount = image.Width * image.Height, ch = image.Channels;
        var pixels = new byte[pixelCount * 4];
        float[] data = image.Data;
        for (int i = 0; i < pixelCount; i++)
        {
            for (int c = 0; c < 3; c++) pixels[4 * i + c] = ToByte(data[i * ch + (ch == 1 ? 0 : c)]);
            pixels[4 * i + 3] = 255;
        }
        return pixels;
    }

    private static SignalImage DecodeWithSkia(byte[] encoded, string sourceName, string kind, int? pngColourType)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException($"'{sourceName}' starts like a {kind} file ({encoded.Length} bytes) but SkiaSharp cannot read its header (damaged or truncated).");
        SKImageInfo source = codec.Info;
        var info = new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
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
    private static string Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return "an empty file";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[137, 80, 78, 71, 13, 10, 26, 10])) return "PNG";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (bytes.StartsWith("BM"u8)) return "BMP";
        if (bytes.StartsWith("GIF8"u8)) return "a GIF image";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes.Slice(8, 4).SequenceEqual("WEBP"u8)) return "a WebP image";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A])) return "a TIFF image";
        ReadOnlySpan<byte> head = bytes[..Math.Min(8, bytes.Length)];
        return $"unrecognised content ({bytes.Length} bytes starting {Convert.ToHexString(head)})";
    }

    private static byte ToByte(float value) => value >= 1 ? (byte)255 : value > 0 ? (byte)(value * 255f + 0.5f) : (byte)0;
}
