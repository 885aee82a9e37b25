namespace IINR.Signals;

/// <summary>A float raster in row-major, channel-interleaved (HWC) order; values nominally in [0, 1].</summary>
public sealed class SignalImage
{
    /// <summary>Creates an image; <paramref name="data"/> is used as is (not copied) and must hold width·height·channels values.</summary>
    public SignalImage(int width, int height, int channels, float[] data)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel count must be positive.");
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)width * height * channels)
            throw new ArgumentException($"Expected {width}×{height}×{channels} = {(long)width * height * channels} values, got {data.Length}.", nameof(data));
        Width = width; Height = height; Channels = channels; Data = data;
    }

    /// <summary>Creates a zero image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the image would hold more than
    /// <see cref="SizeLimits.MaxFloats"/> values.</exception>
    public SignalImage(int width, int height, int channels) : this(width, height, channels, new float[ValueCount(width, height, channels)]) { }

    /// <summary>width·height·channels as an array length, checked before anything is allocated.</summary>
    public static int ValueCount(int width, int height, int channels)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel count must be positive.");
        return SizeLimits.Floats(SizeLimits.Product(width, height, channels), $"A {width}×{height}×{channels} image", nameof(width));
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Channels per pixel (1 grey, 3 RGB).</summary>
    public int Channels { get; }
    /// <summary>Pixel values, HWC order.</summary>
    public float[] Data { get; }

    /// <summary>Value at (x, y, channel c).</summary>
    public float this[int x, int y, int c]
    {
        get => Data[(y * Width + x) * Channels + c];
        set => Data[(y * Width + x) * Channels + c] = value;
    }

    /// <summary>Size as "width×height×channels", for messages.</summary>
    public string Shape => $"{Width}×{Height}×{Channels}";

    /// <summary>A deep copy.</summary>
    public SignalImage Clone() => new(Width, Height, Channels, (float[])Data.Clone());

    /// <summary>
    /// Grey (one-channel) version: ITU-R BT.601 luma Y = 0.299 R + 0.587 G + 0.114 B applied to the values
    /// as stored (no gamma handling). A one-channel image is copied; other channel counts than 1 and 3 are refused.
    /// </summary>
    public SignalImage ToGrey()
    {
        if (Channels == 1) return Clone();
        if (Channels != 3) throw new InvalidOperationException($"Grey conversion needs 1 or 3 channels; this image is {Shape}.");
        var grey = new float[Width * Height];
        for (int i = 0; i < grey.Length; i++)
            grey[i] = 0.299f * Data[3 * i] + 0.587f * Data[3 * i + 1] + 0.114f * Data[3 * i + 2];
        return new SignalImage(Width, Height, 1, grey);
    }

    /// <summary>A copy with every value clamped to [0, 1] (what an 8-bit image file keeps; NaN becomes 0).</summary>
    public SignalImage Clamp01()
    {
        var data = new float[Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            float v = Data[i];
            data[i] = float.IsNaN(v) ? 0f : Math.Clamp(v, 0f, 1f);
        }
        return new SignalImage(Width, Height, Channels, data);
    }

    /// <summary>Fraction of the values outside [0, 1] (NaN included): what an 8-bit image file clips.</summary>
    public double OutOfRangeFraction()
    {
        long n = 0;
        foreach (float v in Data) if (!(v >= 0f && v <= 1f)) n++;
        return (double)n / Data.Length;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming both shapes unless the two images have the same size and channel count.</summary>
    public static void EnsureSameShape(SignalImage a, SignalImage b, string paramName)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Width != b.Width || a.Height != b.Height || a.Channels != b.Channels)
            throw new ArgumentException($"Images must have the same size and channel count: {a.Shape} vs {b.Shape} (width×height×channels).", paramName);
    }
}
