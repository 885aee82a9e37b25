using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace IINR.Tests.Signals;

/// <summary>
/// A minimal PNG writer for tests, independent of SkiaSharp: 8- or 16-bit samples, colour types 0 (grey),
/// 2 (RGB), 4 (grey+alpha), 6 (RGBA), optional Adam7 interlacing; rows cycle through all five filter types so a
/// decoder's unfiltering is exercised.
/// </summary>
internal static class PngTestEncoder
{
    /// <summary>Encodes samples given row-major, interleaved, as integers (0–255 or 0–65535).</summary>
    public static byte[] Encode(int width, int height, int bitDepth, int colourType, int[] samples, bool interlaced = false)
    {
        int perPixel = colourType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new ArgumentException("colour type") };
        int bytesPerSample = bitDepth / 8, bytesPerPixel = perPixel * bytesPerSample;
        if (samples.Length != width * height * perPixel) throw new ArgumentException("sample count");

        var raw = new MemoryStream();
        (int X0, int Y0, int Dx, int Dy)[] passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)];
        int rowCounter = 0;
        foreach (var (x0, y0, dx, dy) in passes)
        {
            int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            var previous = new byte[pw * bytesPerPixel];
            for (int row = 0; row < ph; row++)
            {
                var line = new byte[pw * bytesPerPixel];
                for (int col = 0; col < pw; col++)
                    for (int s = 0; s < perPixel; s++)
                    {
                        int v = samples[((y0 + row * dy) * width + x0 + col * dx) * perPixel + s];
                        int o = col * bytesPerPixel + s * bytesPerSample;
                        if (bytesPerSample == 2) { line[o] = (byte)(v >> 8); line[o + 1] = (byte)v; }
                        else line[o] = (byte)v;
                    }
                int filter = rowCounter++ % 5;
                raw.WriteByte((byte)filter);
                raw.Write(Filter(filter, line, previous, bytesPerPixel));
                previous = line;
            }
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colourType;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static byte[] Filter(int filter, byte[] line, byte[] previous, int bpp)
    {
        var result = new byte[line.Length];
        for (int i = 0; i < line.Length; i++)
        {
            int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                _ => Paeth(a, b, c),
            };
            result[i] = (byte)(line[i] - predictor);
        }
        return result;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
        png.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
