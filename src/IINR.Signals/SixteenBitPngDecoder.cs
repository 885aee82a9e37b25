using System.Buffers.Binary;
using System.IO.Compression;
namespace IINR.Signals;

/// <summary>
/// A small managed decoder for 16-bit-per-sample PNGs (grey, grey+alpha, RGB, RGBA; plain or Adam7-interlaced).
/// </summary>
/// <remarks>
/// Why not SkiaSharp: its PNG codec (2.88 and 4.x alike) strips 16-bit grey to 8 bits whatever the target colour
/// type, and decodes 16-bit RGB only to half floats (11 significant bits). Here every sample becomes v / 65535
/// exactly (to float precision). Alpha is dropped; no gamma or colour-profile chunk is applied, matching the
/// unmanaged path (raw stored values).
/// </remarks>
internal static class SixteenBitPngDecoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The PNG header fields, or null when <paramref name="file"/> is no PNG or has no complete IHDR.</summary>
    public static (int Width, int Height, int BitDepth, int ColourType, int Interlace)? ReadHeader(ReadOnlySpan<byte> file)
    {
        // Signature (8), IHDR length (4) and type (4), then 13 data bytes.
        if (file.Length < 33 || !file[..8].SequenceEqual(Signature) || !file.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        ReadOnlySpan<byte> ihdr = file.Slice(16, 13);
        return (BinaryPrimitives.ReadInt32BigEndian(ihdr), BinaryPrimitives.ReadInt32BigEndian(ihdr[4..]), ihdr[8], ihdr[9], ihdr[12]);
    }

    /// <summary>Decodes a 16-bit PNG; throws <see cref="InvalidDataException"/> describing what is wrong.</summary>
    public static SignalImage Decode(byte[] file)
    {
        var header = ReadHeader(file) ?? throw new InvalidDataException("no PNG signature and IHDR chunk at the start");
        (int width, int height, int bitDepth, int colourType, int interlace) = header;
        if (bitDepth != 16) throw new InvalidDataException($"bit depth {bitDepth}, this decoder reads 16 only");
        int samples = colourType switch
        {
            0 => 1, 4 => 2, 2 => 3, 6 => 4,
            _ => throw new InvalidDataException($"PNG colour type {colourType} is not valid with 16-bit samples"),
        };
        // The caller has checked the size against ImageFile.MaxPixels.
        if (width <= 0 || height <= 0) throw new InvalidDataException($"invalid PNG size {(uint)width}×{(uint)height}");
        if (interlace > 1) throw new InvalidDataException($"unknown PNG interlace method {interlace}");

        int channels = colourType is 0 or 4 ? 1 : 3;
        var image = new SignalImage(width, height, channels);
        int bytesPerPixel = 2 * samples, offset = 0;
        // Adam7 passes: (x start, y start, x step, y step); a non-interlaced image is the single pass (0, 0, 1, 1).
        ReadOnlySpan<(int X0, int Y0, int Dx, int Dy)> passes = interlace == 1
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        // The decompressed size the header implies (a filter byte and the samples of each row of each pass): inflating
        // stops there, so a small file cannot expand into more memory than its declared image.
        long rawLength = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            long passWidth = (width - x0 + dx - 1) / dx, passHeight = (height - y0 + dy - 1) / dy;
            if (passWidth > 0 && passHeight > 0) rawLength += passHeight * (1 + passWidth * bytesPerPixel);
        }
        if (rawLength > Array.MaxLength) throw new InvalidDataException($"a {width}×{height} 16-bit image is too large to decode");
        byte[] raw = Inflate(CollectImageData(file), (int)rawLength);
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int passWidth = (width - x0 + dx - 1) / dx, passHeight = (height - y0 + dy - 1) / dy;
            if (passWidth <= 0 || passHeight <= 0) continue;   // empty passes carry no filter bytes
            int stride = passWidth * bytesPerPixel;
            var previous = new byte[stride];
            var current = new byte[stride];
            for (int row = 0; row < passHeight; row++)
            {
                if (offset + 1 + stride > raw.Length) throw new InvalidDataException("image data ends early (truncated or damaged IDAT)");
                int filter = raw[offset];
                Array.Copy(raw, offset + 1, current, 0, stride);
                offset += 1 + stride;
                Unfilter(filter, current, previous, bytesPerPixel);
                int y = y0 + row * dy;
                for (int col = 0; col < passWidth; col++)
                {
                    int x = x0 + col * dx, p = col * bytesPerPixel;
                    for (int c = 0; c < channels; c++)
                        image[x, y, c] = ((current[p + 2 * c] << 8) | current[p + 2 * c + 1]) / 65535f;
                }
                (previous, current) = (current, previous);
            }
        }
        return image;
    }

    // Concatenated IDAT payloads, with every chunk's CRC checked so damage is reported rather than decoded.
    private static byte[] CollectImageData(byte[] file)
    {
        var data = new MemoryStream();
        int position = 8;
        while (true)
        {
            if (position + 12 > file.Length) throw new InvalidDataException("file ends before the IEND chunk (truncated)");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position));
            if (length > int.MaxValue || position + 12 + (long)length > file.Length)
                throw new InvalidDataException($"chunk at byte {position} runs past the end of the file (truncated or damaged)");
            ReadOnlySpan<byte> typeAndData = file.AsSpan(position + 4, 4 + (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(position + 8 + (int)length));
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (PngCrc.Compute(typeAndData) != stored) throw new InvalidDataException($"CRC mismatch in the {type} chunk at byte {position} (damaged file)");
            if (type == "IDAT") data.Write(typeAndData[4..]);
            if (type == "IEND") break;
            position += 12 + (int)length;
        }
        if (data.Length == 0) throw new InvalidDataException("no IDAT chunk");
        return data.ToArray();
    }

    // Exactly the bytes the image needs; data beyond them is ignored, never read into memory.
    private static byte[] Inflate(byte[] compressed, int length)
    {
        var output = new byte[length];
        int got;
        try
        {
            using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            got = input.ReadAtLeast(output, length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"damaged zlib stream in IDAT ({e.Message})", e);
        }
        if (got < length) throw new InvalidDataException($"image data ends early: {got} of {length} bytes (truncated or damaged IDAT)");
        return output;
    }

    // PNG filter types 0–4 (None, Sub, Up, Average, Paeth), undone in place on one scanline.
    private static void Unfilter(int filter, byte[] line, byte[] previous, int bytesPerPixel)
    {
        switch (filter)
        {
            case 0: return;
            case 1:
                for (int i = bytesPerPixel; i < line.Length; i++) line[i] += line[i - bytesPerPixel];
                return;
            case 2:
                for (int i = 0; i < line.Length; i++) line[i] += previous[i];
                return;
            case 3:
                for (int i = 0; i < line.Length; i++)
                    line[i] += (byte)(((i >= bytesPerPixel ? line[i - bytesPerPixel] : 0) + previous[i]) >> 1);
                return;
            case 4:
                for (int i = 0; i < line.Length; i++)
                {
                    int a = i >= bytesPerPixel ? line[i - bytesPerPixel] : 0, b = previous[i], c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    line[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                return;
            default:
                throw new InvalidDataException($"unknown PNG row filter type {filter}");
        }
    }
}
