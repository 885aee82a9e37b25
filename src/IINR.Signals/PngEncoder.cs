using System.Buffers.Binary;
using System.IO.Compression;

namespace IINR.Signals;

/// <summary>
/// A streaming 8-bit PNG encoder (grey or RGB, not interlaced): rows are requested band by band, quantised, filtered
/// and deflated into IDAT chunks as they come, so memory stays bounded whatever the image size.
/// </summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    // Pixels per band of rows asked from the source (at least one row).
    private const int BandPixels = 1 << 20;

    public static void Write(Stream output, int width, int height, int channels, ImageRowSource rows)
    {
        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;                              // bit depth
        ihdr[9] = (byte)(channels == 1 ? 0 : 2);  // colour type: grey or RGB
        // compression, filter method and interlace are 0
        WriteChunk(output, "IHDR"u8, ihdr);

        int rowBytes = checked(width * channels);
        int band = Math.Clamp(BandPixels / width, 1, height);
        var values = new float[SizeLimits.Floats(SizeLimits.Product(band, width, channels), $"A band of {band}×{width}×{channels} pixels")];
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++) candidates[f] = new byte[rowBytes + 1];
        using (var idat = new IdatStream(output))
        using (var deflate = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y0 = 0; y0 < height; y0 += band)
            {
                int n = Math.Min(band, height - y0);
                rows(y0, n, values.AsSpan(0, n * rowBytes));
                for (int r = 0; r < n; r++)
                {
                    var row = values.AsSpan(r * rowBytes, rowBytes);
                    for (int i = 0; i < rowBytes; i++) current[i] = ImageFile.ToByte(row[i]);
                    deflate.Write(Filter(current, previous, channels, candidates));
                    (previous, current) = (current, previous);
                }
            }
        }
        WriteChunk(output, "IEND"u8, []);
    }

    // The row under the filter (None, Sub, Up, Average, Paeth) whose output has the smallest sum of absolute values as
    // signed bytes: the usual heuristic, which lets deflate find the smooth parts. Returns the filter byte and the row.
    private static byte[] Filter(byte[] row, byte[] previous, int bpp, byte[][] candidates)
    {
        int best = 0;
        long bestCost = long.MaxValue;
        for (int f = 0; f < 5; f++)
        {
            var o = candidates[f];
            o[0] = (byte)f;
            long cost = 0;
            for (int i = 0; i < row.Length; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                int predictor = f switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    _ => Paeth(a, b, c),
                };
                byte v = (byte)(row[i] - predictor);
                o[i + 1] = v;
                cost += v < 128 ? v : 256 - v;   // |v| as a signed byte
            }
            if (cost < bestCost) { bestCost = cost; best = f; }
        }
        return candidates[best];
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, PngCrc.Compute(type, data));
        output.Write(word);
    }

    /// <summary>Collects the deflated stream and writes it as IDAT chunks of up to 64 KiB.</summary>
    private sealed class IdatStream(Stream output) : Stream
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _count;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Flush() { }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                int n = Math.Min(data.Length, _buffer.Length - _count);
                data[..n].CopyTo(_buffer.AsSpan(_count));
                _count += n;
                data = data[n..];
                if (_count == _buffer.Length) Emit();
            }
        }

        private void Emit()
        {
            WriteChunk(output, "IDAT"u8, _buffer.AsSpan(0, _count));
            _count = 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _count > 0) Emit();
            base.Dispose(disposing);
        }
    }
}
