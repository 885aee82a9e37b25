namespace IINR.Signals;

/// <summary>
/// The one mapping between pixels and continuous coordinates used everywhere: pixel centres of a
/// W×H image map into the frame [−ex, ex]×[−ey, ey] with ex = W/max(W, H), ey = H/max(W, H), so the
/// longer side spans [−1, 1] and the aspect ratio is kept. Rendering the same frame on a finer grid
/// (the same extents, more pixels) is super-resolution.
/// </summary>
public static class PixelGrid
{
    /// <summary>The frame extents (ex, ey) of a W×H image.</summary>
    public static (double X, double Y) Extents(int width, int height)
    {
        Check(width, height);
        double m = Math.Max(width, height);
        return (width / m, height / m);
    }

    /// <summary>Pixel-centre coordinates of a W×H grid in the image's own frame, row-major, (x, y) pairs.</summary>
    public static float[] Coordinates(int width, int height)
    {
        var (ex, ey) = Extents(width, height);
        return Coordinates(width, height, ex, ey);
    }

    /// <summary>Pixel-centre coordinates of a W×H grid covering the frame [−ex, ex]×[−ey, ey], row-major, (x, y) pairs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or extent is invalid, or the grid needs more than
    /// <see cref="SizeLimits.MaxFloats"/> values (render it in row bands with the other overload).</exception>
    public static float[] Coordinates(int width, int height, double extentX, double extentY) =>
        Coordinates(width, height, extentX, extentY, 0, height);

    /// <summary>The coordinates of rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rowCount"/>)
    /// of the W×H grid covering [−ex, ex]×[−ey, ey]: a band of the full grid's coordinates, for work done band by band.</summary>
    public static float[] Coordinates(int width, int height, double extentX, double extentY, int firstRow, int rowCount)
    {
        Check(width, height);
        if (!(extentX > 0) || !double.IsFinite(extentX)) throw new ArgumentOutOfRangeException(nameof(extentX), extentX, "The frame extent must be a finite value > 0.");
        if (!(extentY > 0) || !double.IsFinite(extentY)) throw new ArgumentOutOfRangeException(nameof(extentY), extentY, "The frame extent must be a finite value > 0.");
        if (firstRow < 0 || rowCount < 0 || firstRow > height - rowCount)
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"Rows {firstRow}..{(long)firstRow + rowCount - 1} do not lie in the {height} rows of the grid.");
        var c = new float[SizeLimits.Floats(SizeLimits.Product(width, rowCount, 2), $"The coordinates of a {width}×{rowCount} pixel grid", nameof(width))];
        var xs = new float[width];
        for (int x = 0; x < width; x++) xs[x] = (float)(extentX * ((2.0 * x + 1) / width - 1));
        for (int r = 0; r < rowCount; r++)
        {
            float cy = (float)(extentY * ((2.0 * (firstRow + r) + 1) / height - 1));
            for (int x = 0; x < width; x++)
            {
                c[(r * width + x) * 2] = xs[x];
                c[(r * width + x) * 2 + 1] = cy;
            }
        }
        return c;
    }

    static void Check(int width, int height)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be ≥ 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be ≥ 1.");
    }
}
