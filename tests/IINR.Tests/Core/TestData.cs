using IINR.Signals;
using IINR.Trainers;

namespace IINR.Tests.Core;

/// <summary>Small deterministic signals for core tests.</summary>
internal static class TestData
{
    /// <summary>Pixel centres of a w×h grid mapped to [-1, 1]² (aspect preserved), row-major.</summary>
    public static float[] Grid(int w, int h)
    {
        var c = new float[w * h * 2];
        float s = Math.Max(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                c[(y * w + x) * 2] = (2 * x + 1 - w) / s;
                c[(y * w + x) * 2 + 1] = (2 * y + 1 - h) / s;
            }
        return c;
    }

    /// <summary>An RGB image with edges, a gradient, a zone plate and a deterministic texture.</summary>
    public static float[] Image(int w, int h)
    {
        var d = new float[w * h * 3];
        var rng = new Random(1234);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double u = (x + 0.5) / w, v = (y + 0.5) / h;
                double r = u, g = v, b = 0.5 + 0.2 * rng.NextDouble() * (u > 0.5 && v > 0.5 ? 1 : 0);
                if ((u - 0.3) * (u - 0.3) + (v - 0.35) * (v - 0.35) < 0.04) { r = 0.9; g = 0.2; b = 0.1; }
                double rr = (u - 0.72) * (u - 0.72) + (v - 0.28) * (v - 0.28);
                if (rr < 0.05) r = g = 0.5 + 0.5 * Math.Cos(300 * rr);
                if (v > 0.75 && u < 0.5) { double s = ((int)(u * 16) + (int)(v * 16)) % 2; r = g = b = 0.2 + 0.6 * s; }
                d[(y * w + x) * 3] = (float)r;
                d[(y * w + x) * 3 + 1] = (float)g;
                d[(y * w + x) * 3 + 2] = (float)b;
            }
        return d;
    }

    public static TrainingSet ImageSet(int size) => new(Grid(size, size), 2, Image(size, size), 3);

    public static double Psnr(float[] a, float[] b)
    {
        double mse = 0;
        for (int i = 0; i < a.Length; i++) mse += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return ImageMetrics.Psnr(mse / a.Length);
    }

    /// <summary>Small, fast options for tests: CPU, 2 threads, a narrow network.</summary>
    public static InrOptions Small(int iterations = 30) => new()
    {
        Device = ComputeDevice.Cpu,
        Threads = 2,
        HiddenLayers = 2,
        HiddenSize = 64,
        Iterations = iterations,
    };
}
