using IINR.Signals;

namespace Microsoft.ML.IINR;

/// <summary>
/// The image a model was fitted to: its size and channel count, and the continuous frame its pixel
/// centres span, [−<see cref="ExtentX"/>, <see cref="ExtentX"/>]×[−<see cref="ExtentY"/>, <see cref="ExtentY"/>]
/// (<see cref="PixelGrid"/>'s convention). Rendering that frame on a finer grid is super-resolution.
/// </summary>
/// <param name="Width">Width in pixels of the fitted image.</param>
/// <param name="Height">Height in pixels of the fitted image.</param>
/// <param name="Channels">Channels per pixel (the signal's size C).</param>
/// <param name="ExtentX">Half-width of the frame in coordinate units.</param>
/// <param name="ExtentY">Half-height of the frame in coordinate units.</param>
public sealed record ImageFrame(int Width, int Height, int Channels, double ExtentX, double ExtentY)
{
    /// <summary>The frame of a W×H image as <see cref="PixelGrid"/> maps it (the longer side spans [−1, 1]).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="channels">Channels per pixel.</param>
    public static ImageFrame Of(int width, int height, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var (ex, ey) = PixelGrid.Extents(width, height);
        return new ImageFrame(width, height, channels, ex, ey);
    }

    /// <summary>Pixel-centre coordinates ((x, y) pairs, row-major) of a <paramref name="width"/>×<paramref name="height"/> grid covering this frame.</summary>
    /// <param name="width">Grid width in pixels.</param>
    /// <param name="height">Grid height in pixels.</param>
    public float[] Coordinates(int width, int height) => PixelGrid.Coordinates(width, height, ExtentX, ExtentY);
}
