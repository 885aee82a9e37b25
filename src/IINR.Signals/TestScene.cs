namespace IINR.Signals;

/// <summary>
/// A generated, license-clean RGB test image: sharp edges (checkerboard, bars, shapes), fine texture
/// (value noise, a woven-fabric pattern), smooth colour gradients and a zone plate.
/// </summary>
/// <remarks>
/// The scene is defined on the continuous unit square (u to the right, v downwards, both in [0, 1]) and
/// stretched over the requested raster, so rendering at 2× or 4× the size gives the same scene at a higher
/// resolution: a ground-truth reference for super-resolution. Each pixel averages a regular
/// <c>supersampling</c>×<c>supersampling</c> grid of point samples (a box-filter antialias). With the
/// sample grids aligned this way, area-downscaling a render of size 2N (supersampling s) by 2 equals a render
/// of size N with supersampling 2s, up to float rounding. Everything is deterministic: no random state, only
/// integer hashes of lattice coordinates.
/// </remarks>
public static class TestScene
{
    /// <summary>Default width and height in pixels.</summary>
    public const int DefaultSize = 256;

    /// <summary>Default number of point samples per pixel along each axis.</summary>
    public const int DefaultSupersampling = 4;

    // Zone plate: cos(π K ρ²) has local frequency K·ρ cycles per unit, so K = 640 reaches 128 cycles per unit
    // (the Nyquist limit of a 256-pixel render) at the plate's rim, ρ = 0.2.
    private const double ZoneCentreU = 0.25, ZoneCentreV = 0.25, ZoneRadius = 0.2, ZoneK = 640;

    /// <summary>Renders the scene as a 3-channel image with values in [0, 1].</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="supersampling">Point samples per pixel along each axis (1 = no antialiasing).</param>
    public static SignalImage Render(int width = DefaultSize, int height = DefaultSize, int supersampling = DefaultSupersampling)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
        if (supersampling <= 0) throw new ArgumentOutOfRangeException(nameof(supersampling), supersampling, "Supersampling must be positive.");

        var image = new SignalImage(width, height, 3);
        float[] data = image.Data;
        double inverseSamples = 1.0 / (supersampling * supersampling);
        // Rows are independent and each pixel's samples are summed in a fixed order, so the parallel
        // loop gives the same bytes as a sequential one; it pays off at benchmark sizes (512² × 16 samples).
        Parallel.For(0, height, y =>
        {
            for (int x = 0; x < width; x++)
            {
                double r = 0, g = 0, b = 0;
                for (int j = 0; j < supersampling; j++)
                {
                    double v = (y + (j + 0.5) / supersampling) / height;
                    for (int i = 0; i < supersampling; i++)
                    {
                        double u = (x + (i + 0.5) / supersampling) / width;
                        var c = Evaluate(u, v);
                        r += c.R; g += c.G; b += c.B;
                    }
                }
                int o = (y * width + x) * 3;
                data[o] = (float)(r * inverseSamples);
                data[o + 1] = (float)(g * inverseSamples);
                data[o + 2] = (float)(b * inverseSamples);
            }
        });
        return image;
    }

    /// <summary>Renders the scene and converts it to grey with ITU-R BT.601 luma (see <see cref="SignalImage.ToGrey"/>).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="supersampling">Point samples per pixel along each axis.</param>
    public static SignalImage RenderGrey(int width = DefaultSize, int height = DefaultSize, int supersampling = DefaultSupersampling)
        => Render(width, height, supersampling).ToGrey();

    /// <summary>
    /// The scene's colour at one point of the unit square (no antialiasing); components lie in [0, 1].
    /// Points outside the square continue the background gradient.
    /// </summary>
    /// <param name="u">Horizontal coordinate, 0 = left edge, 1 = right edge.</param>
    /// <param name="v">Vertical coordinate, 0 = top edge, 1 = bottom edge.</param>
    public static (double R, double G, double B) Evaluate(double u, double v)
    {
        // Zone plate, top-left.
        double du = u - ZoneCentreU, dv = v - ZoneCentreV;
        double rho2 = du * du + dv * dv;
        if (rho2 < ZoneRadius * ZoneRadius)
        {
            double z = 0.5 + 0.45 * Math.Cos(Math.PI * ZoneK * rho2);
            return (z, z, z);
        }

        if (u >= 0.5 && v < 0.5)
        {
            // Checkerboard, top-right: 8×4 checks of 0.05 units with warm/cool colours.
            if (u >= 0.55 && u < 0.95 && v >= 0.05 && v < 0.25)
            {
                int cell = (int)Math.Floor((u - 0.55) / 0.05) + (int)Math.Floor((v - 0.05) / 0.05);
                return (cell & 1) == 0 ? (0.95, 0.9, 0.8) : (0.1, 0.12, 0.25);
            }
            // Bars whose period shrinks linearly from 0.04 to 0.01 units (10 to 2.5 pixels at 256).
            if (u >= 0.55 && u < 0.95 && v >= 0.29 && v < 0.46)
            {
                double t = u - 0.55;
                const double f0 = 25, f1 = 100, span = 0.4;
                double phase = f0 * t + 0.5 * (f1 - f0) / span * t * t;
                bool light = phase - Math.Floor(phase) < 0.5;
                return light ? (0.85, 0.9, 1.0) : (0.05, 0.1, 0.3);
            }
        }
        else if (u < 0.5 && v >= 0.5)
        {
            // Fine textures, bottom-left: fractal value noise on the left, woven fabric on the right.
            if (u >= 0.04 && u < 0.24 && v >= 0.54 && v < 0.96)
            {
                double n = 0.5 * ValueNoise(u * 32, v * 32, 1u) + 0.3 * ValueNoise(u * 64, v * 64, 2u) + 0.2 * ValueNoise(u * 128, v * 128, 3u);
                double m = ValueNoise(u * 8, v * 8, 4u);
                return (0.15 + 0.8 * n, 0.1 + 0.6 * n * m + 0.2 * n, 0.2 + 0.5 * (1 - n) * m);
            }
            if (u >= 0.26 && u < 0.46 && v >= 0.54 && v < 0.96)
                return Fabric(u, v);
        }
        else if (u >= 0.5 && v >= 0.5)
        {
            // Shapes, bottom-right, over the background gradient.
            double dx = u - 0.66, dy = v - 0.66;
            if (dx * dx + dy * dy < 0.09 * 0.09) return (0.9, 0.15, 0.1);               // red disc
            double rx = u - 0.84, ry = v - 0.84, ring = Math.Sqrt(rx * rx + ry * ry);
            if (ring > 0.06 && ring < 0.1) return (0.95, 0.85, 0.1);                      // yellow ring
            if (v < 0.71 && v > 0.55 + 2 * Math.Abs(u - 0.86)) return (0.1, 0.7, 0.25);     // green triangle
            if (Math.Abs((u - 0.52) - (v - 0.72)) < 0.004 && v > 0.72) return (0.02, 0.02, 0.02); // thin diagonal line
            if (u >= 0.54 && u < 0.64 && v >= 0.8 && v < 0.95) return (0.2, 0.3, 0.9);     // blue square
        }
        return Background(u, v);
    }

    // Smooth colour gradient: every component varies slowly and stays inside [0.15, 0.85].
    private static (double R, double G, double B) Background(double u, double v)
        => (0.2 + 0.6 * Clamp01(u), 0.2 + 0.6 * Clamp01(v), 0.5 + 0.35 * Math.Sin(0.5 * Math.PI * (Clamp01(u) + Clamp01(v)) + 0.3));

    // Plain weave: warp (vertical) and weft (horizontal) threads 1/96 unit apart; in each crossing cell the
    // visible thread alternates like a checkerboard, with a rounded cross-section for shading.
    private static (double R, double G, double B) Fabric(double u, double v)
    {
        const double threads = 96;
        double su = u * threads, sv = v * threads;
        double fu = su - Math.Floor(su), fv = sv - Math.Floor(sv);
        bool warpOnTop = (((long)Math.Floor(su) + (long)Math.Floor(sv)) & 1) == 0;
        double across = warpOnTop ? fu : fv;
        double shade = 0.35 + 0.65 * Math.Sin(Math.PI * across);
        return warpOnTop ? (0.2 * shade, 0.35 * shade + 0.1, 0.8 * shade) : (0.85 * shade, 0.55 * shade, 0.2 * shade + 0.05);
    }

    // Value noise: hashed lattice values in [0, 1) blended with smoothstep weights (continuous, C¹).
    private static double ValueNoise(double x, double y, uint octave)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        double tx = x - fx, ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        double a = Lattice(ix, iy, octave), b = Lattice(ix + 1, iy, octave);
        double c = Lattice(ix, iy + 1, octave), d = Lattice(ix + 1, iy + 1, octave);
        return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
    }

    // Integer hash (a murmur3-style finaliser) of a lattice point, mapped to [0, 1).
    private static double Lattice(int x, int y, uint octave)
    {
        uint h = unchecked((uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ octave * 0xCB1AB31Fu);
        h ^= h >> 16; h = unchecked(h * 0x85EBCA6Bu);
        h ^= h >> 13; h = unchecked(h * 0xC2B2AE35u);
        h ^= h >> 16;
        return h * (1.0 / 4294967296.0);
    }

    private static double Clamp01(double x) => x < 0 ? 0 : x > 1 ? 1 : x;
}
