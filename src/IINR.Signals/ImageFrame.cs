namespace IINR.Signals;

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
    /// <summary>Sizes ≥ 1 and extents finite and &gt; 0 (what a frame read from elsewhere must be checked for).</summary>
    public bool HasValidGeometry =>
        Width >= 1 && Height >= 1 && ExtentX > 0 && ExtentY > 0 && double.IsFinite(ExtentX) && double.IsFinite(ExtentY);

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

    /// <summary>The frame of <paramref name="image"/> fitted on its own pixel grid: <see cref="Of(int, int, int)"/> with its size and channels.</summary>
    /// <param name="image">The image.</param>
    public static ImageFrame Of(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Of(image.Width, image.Height, image.Channels);
    }

    /// <summary>
    /// The size in pixels of this frame rendered at <paramref name="scale"/>× the fitted size: each side
    /// multiplied and rounded to the nearest integer (at least 1). Any finite scale &gt; 0: 4 is 4×
    /// super-resolution, 0.5 a half-size preview.
    /// </summary>
    /// <param name="scale">The factor, a finite value &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">The scale is not a finite value &gt; 0.</exception>
    public (int Width, int Height) Scaled(double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"The scale must be a finite value > 0; got {scale}.");
        return (Math.Max(1, (int)Math.Round(Width * scale)), Math.Max(1, (int)Math.Round(Height * scale)));
    }

    /// <summary>Pixel-centre coordinates ((x, y) pairs, row-major) of a <paramref name="width"/>×<paramref name="height"/> grid covering this frame.</summary>
    /// <param name="width">Grid width in pixels.</param>
    /// <param name="height">Grid height in pixels.</param>
    public float[] Coordinates(int width, int height) => PixelGrid.Coordinates(width, height, ExtentX, ExtentY);

    /// <summary>The coordinates of rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>) of a
    /// <paramref name="width"/>×<paramref name="height"/> grid covering this frame: a band of <see cref="Coordinates(int, int)"/>.</summary>
    /// <param name="width">Grid width in pixels.</param>
    /// <param name="height">Grid height in pixels.</param>
    /// <param name="firstRow">The band's first row.</param>
    /// <param name="rowCount">Rows in the band.</param>
    public float[] Coordinates(int width, int height, int firstRow, int rowCount) =>
        PixelGrid.Coordinates(width, height, ExtentX, ExtentY, firstRow, rowCount);
}
