using IINR.Signals;

namespace IINR.Cli.Tasks;

/// <summary>
/// Where an image model lives in coordinate space: the size and channel count of the image it was fitted to
/// and the frame [−ExtentX, ExtentX]×[−ExtentY, ExtentY] its pixel centres were mapped into
/// (<see cref="PixelGrid"/>). Rendering the same frame on another grid is how a model is queried at any resolution.
/// </summary>
/// <param name="Width">Width of the fitted image in pixels.</param>
/// <param name="Height">Height of the fitted image in pixels.</param>
/// <param name="Channels">Channels (1 grey, 3 RGB).</param>
/// <param name="ExtentX">Half-width of the frame.</param>
/// <param name="ExtentY">Half-height of the frame.</param>
public sealed record ImageFrame(int Width, int Height, int Channels, double ExtentX, double ExtentY)
{
    /// <summary>The frame of an image fitted on its own pixel grid.</summary>
    public static ImageFrame Of(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (ex, ey) = PixelGrid.Extents(image.Width, image.Height);
        return new ImageFrame(image.Width, image.Height, image.Channels, ex, ey);
    }

    /// <summary>Pixel-centre coordinates of a <paramref name="width"/>×<paramref name="height"/> grid over this frame.</summary>
    public float[] Grid(int width, int height) => PixelGrid.Coordinates(width, height, ExtentX, ExtentY);

    /// <summary>The size, in pixels, of this frame rendered at <paramref name="scale"/>× (rounded, at least 1).</summary>
    public (int Width, int Height) Scaled(double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be a finite value > 0.");
        return (Math.Max(1, (int)Math.Round(Width * scale)), Math.Max(1, (int)Math.Round(Height * scale)));
    }
}
