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
    public SignalImage(int width, int height, int channels) : this(width, height, channels, new float[checked(width * height * channels)]) { }

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
}
