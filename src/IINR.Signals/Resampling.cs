namespace IINR.Signals;

/// <summary>Resizing and cropping of <see cref="SignalImage"/> rasters; every channel is treated alike.</summary>
/// <remarks>
/// Conventions. Pixel i covers the interval [i, i + 1) and its centre is at i + 0.5, in source and target alike.
/// <list type="bullet">
/// <item><see cref="DownscaleArea"/>: the mean of each factor×factor block, i.e. average pooling with
/// stride = kernel = factor (PyTorch <c>avg_pool2d</c>); a linear map whose adjoint spreads each value evenly.</item>
/// <item><see cref="ResizeArea"/>: each target pixel is the area-weighted mean of the source pixels its footprint
/// overlaps (exact overlap fractions, separable). Equals <see cref="DownscaleArea"/> for integer factors and
/// OpenCV <c>INTER_AREA</c> when shrinking; preserves the image mean for any sizes.</item>
/// <item><see cref="ResizeBicubic"/>: Keys' cubic convolution with a = −0.5 (as PIL and MATLAB; OpenCV
/// <c>INTER_CUBIC</c> and PyTorch use −0.75), pixel-centre aligned (source x = (target x + 0.5)·scale − 0.5,
/// i.e. <c>align_corners=False</c>), borders clamped (edge pixels replicated), no kernel widening when shrinking
/// (unlike PIL; use <see cref="ResizeArea"/> to shrink). With a = −0.5 the kernel reproduces polynomials up to
/// degree 2, so a linear ramp is exact wherever no tap is clamped. Results are not clamped and may overshoot
/// [0, 1] near edges.</item>
/// <item><see cref="ResizeLanczos"/>: the Lanczos kernel sinc(d)·sinc(d/a) with a = 3 (6 taps), same alignment and
/// borders as bicubic, weights normalised to sum 1, no widening when shrinking.</item>
/// <item><see cref="UpscaleBackProjection"/>: iterative back-projection (Irani and Peleg 1991) against
/// <see cref="DownscaleArea"/>: a bicubic start corrected by rounds of x += bicubic_up(low − area_down(x)), so
/// the result area-averages back to the input. <see cref="BackProject"/> applies the same correction to any
/// estimate of the enlarged image (super-resolution applies it to the network's render).</item>
/// </list>
/// </remarks>
public static class Resampling
{
    /// <summary>The Keys cubic-convolution parameter used by <see cref="ResizeBicubic"/>.</summary>
    public const double BicubicA = -0.5;

    /// <summary>Averages each <paramref name="factor"/>×<paramref name="factor"/> block (average pooling).</summary>
    /// <param name="image">Source image; its width and height must be multiples of <paramref name="factor"/>.</param>
    /// <param name="factor">Integer shrink factor, at least 1.</param>
    /// <exception cref="ArgumentException">The size is not a multiple of the factor (crop first, or use <see cref="ResizeArea"/>).</exception>
    public static SignalImage DownscaleArea(SignalImage image, int factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be at least 1.");
        if (image.Width % factor != 0 || image.Height % factor != 0)
            throw new ArgumentException($"Image size {image.Width}×{image.Height} is not a multiple of the factor {factor}; crop it first or use {nameof(ResizeArea)}.", nameof(factor));

        int w = image.Width / factor, h = image.Height / factor, ch = image.Channels, srcW = image.Width;
        var result = new SignalImage(w, h, ch);
        float[] src = image.Data, dst = result.Data;
        var sum = new double[ch];
        double inverseArea = 1.0 / ((double)factor * factor);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                Array.Clear(sum);
                for (int dy = 0; dy < factor; dy++)
                {
                    int row = ((y * factor + dy) * srcW + x * factor) * ch;
                    for (int k = 0; k < factor * ch; k++) sum[k % ch] += src[row + k];
                }
                int o = (y * w + x) * ch;
                for (int c = 0; c < ch; c++) dst[o + c] = (float)(sum[c] * inverseArea);
            }
        return result;
    }

    /// <summary>Resizes by exact pixel-overlap area weights (box filter of the target footprint); works both ways.</summary>
    /// <param name="image">Source image.</param>
    /// <param name="width">Target width in pixels.</param>
    /// <param name="height">Target height in pixels.</param>
    public static SignalImage ResizeArea(SignalImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckSize(width, height);
        return ApplySeparable(image, AreaWeights(image.Width, width), AreaWeights(image.Height, height));
    }

    /// <summary>Resizes with Keys bicubic interpolation (a = −0.5, pixel-centre aligned, clamped borders).</summary>
    /// <param name="image">Source image.</param>
    /// <param name="width">Target width in pixels.</param>
    /// <param name="height">Target height in pixels.</param>
    public static SignalImage ResizeBicubic(SignalImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckSize(width, height);
        return ApplySeparable(image, BicubicWeights(image.Width, width), BicubicWeights(image.Height, height));
    }

    /// <summary>Enlarges by an integer factor with <see cref="ResizeBicubic"/>.</summary>
    /// <param name="image">Source image.</param>
    /// <param name="factor">Integer enlargement factor, at least 1.</param>
    public static SignalImage UpscaleBicubic(SignalImage image, int factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (factor < 1) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be at least 1.");
        return ResizeBicubic(image, checked(image.Width * factor), checked(image.Height * factor));
    }

    /// <summary>The Lanczos window parameter a (taps per side) used by <see cref="ResizeLanczos"/>.</summary>
    public const int LanczosA = 3;

    /// <summary>Resizes with Lanczos-3 interpolation (pixel-centre aligned, clamped borders).</summary>
    /// <param name="image">Source image.</param>
    /// <param name="width">Target width in pixels.</param>
    /// <param name="height">Target height in pixels.</param>
    public static SignalImage ResizeLanczos(SignalImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckSize(width, height);
        return ApplySeparable(image, KernelWeights(image.Width, width, LanczosA, Lanczos), KernelWeights(image.Height, height, LanczosA, Lanczos));
    }

    /// <summary>Default rounds of <see cref="UpscaleBackProjection"/>.</summary>
    public const int DefaultBackProjectionRounds = 30;

    /// <summary>Enlarges by an integer factor with iterative back-projection: x₀ = bicubic_up(low), then
    /// <paramref name="rounds"/> times x += bicubic_up(low − area_down(x)) (<see cref="BackProject"/> from bicubic).</summary>
    /// <param name="lowResolution">The observed image, taken to be the area average of the unknown one.</param>
    /// <param name="factor">Integer enlargement factor, at least 1.</param>
    /// <param name="rounds">Correction rounds, at least 0 (0 is plain bicubic).</param>
    public static SignalImage UpscaleBackProjection(SignalImage lowResolution, int factor, int rounds = DefaultBackProjectionRounds)
    {
        ArgumentNullException.ThrowIfNull(lowResolution);
        if (rounds < 0) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "Rounds must be at least 0.");
        var x = UpscaleBicubic(lowResolution, factor);
        BackProject(x, lowResolution, rounds);
        return x;
    }

    /// <summary>Corrects <paramref name="estimate"/> in place so that it area-averages back to <paramref name="observed"/>
    /// (iterative back-projection, Irani and Peleg 1991): <paramref name="rounds"/> times x += bicubic(observed − area(x)),
    /// with area = <see cref="ResizeArea"/> to the observed size and bicubic = <see cref="ResizeBicubic"/> to the estimate's.
    /// The correction is smooth (bicubic), so it keeps the estimate's detail and moves each observed pixel's footprint to
    /// the observed mean.</summary>
    /// <remarks>Both maps are linear and separable, so the rounds run on the observed grid: x = x₀ + bicubic(c), with
    /// c ← c + observed − area(x₀) − area(bicubic(c)), where area∘bicubic is a banded matrix per axis. The estimate is read
    /// once and written once; the extra memory is one image of the estimate's size, whatever the rounds.</remarks>
    /// <param name="estimate">An estimate of the unknown image, at least as large as <paramref name="observed"/> in both
    /// dimensions and with its channel count; overwritten.</param>
    /// <param name="observed">The observed image, taken to be the area average of the unknown one.</param>
    /// <param name="rounds">Correction rounds, at least 0 (0 leaves the estimate as it is).</param>
    /// <exception cref="ArgumentException">The sizes or channel counts do not fit.</exception>
    public static void BackProject(SignalImage estimate, SignalImage observed, int rounds = DefaultBackProjectionRounds)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(observed);
        if (rounds < 0) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "Rounds must be at least 0.");
        if (estimate.Channels != observed.Channels)
            throw new ArgumentException($"The estimate has {estimate.Channels} channels and the observed image {observed.Channels}; they must match.", nameof(estimate));
        if (estimate.Width < observed.Width || estimate.Height < observed.Height)
            throw new ArgumentException($"The estimate ({estimate.Width}×{estimate.Height}) is smaller than the observed image ({observed.Width}×{observed.Height}); back-projection corrects an enlargement.", nameof(estimate));
        if (rounds == 0) return;
        int w = observed.Width, h = observed.Height;
        AxisWeights downX = AreaWeights(estimate.Width, w), downY = AreaWeights(estimate.Height, h);
        AxisWeights upX = BicubicWeights(w, estimate.Width), upY = BicubicWeights(h, estimate.Height);
        AxisWeights roundTripX = Compose(downX, upX, w), roundTripY = Compose(downY, upY, h);

        // What the estimate misses, observed − area(x₀); then the rounds on the observed grid.
        var miss = ApplySeparable(estimate, downX, downY);
        for (int i = 0; i < miss.Data.Length; i++) miss.Data[i] = observed.Data[i] - miss.Data[i];
        var correction = new SignalImage(w, h, observed.Channels);
        for (int r = 0; r < rounds; r++)
        {
            var seen = ApplySeparable(correction, roundTripX, roundTripY);
            for (int i = 0; i < correction.Data.Length; i++) correction.Data[i] += miss.Data[i] - seen.Data[i];
        }
        var up = ApplySeparable(correction, upX, upY);
        for (int i = 0; i < estimate.Data.Length; i++) estimate.Data[i] += up.Data[i];
    }

    // The weights of first∘second along one axis (second maps length n to some m, first maps m back to n): row i of the
    // product, as a banded n×n matrix in AxisWeights form.
    private static AxisWeights Compose(AxisWeights first, AxisWeights second, int n)
    {
        var start = new int[n + 1];
        var index = new List<int>();
        var weight = new List<float>();
        var row = new double[n];
        var isTouched = new bool[n];
        var touched = new List<int>();
        for (int i = 0; i < n; i++)
        {
            start[i] = index.Count;
            for (int k = first.Start[i]; k < first.Start[i + 1]; k++)
            {
                int j = first.Index[k];
                for (int m = second.Start[j]; m < second.Start[j + 1]; m++)
                {
                    int l = second.Index[m];
                    if (!isTouched[l]) { isTouched[l] = true; touched.Add(l); }
                    row[l] += (double)first.Weight[k] * second.Weight[m];
                }
            }
            touched.Sort();
            foreach (int l in touched)
            {
                index.Add(l);
                weight.Add((float)row[l]);
                row[l] = 0;
                isTouched[l] = false;
            }
            touched.Clear();
        }
        start[n] = index.Count;
        return new AxisWeights(start, [.. index], [.. weight]);
    }

    /// <summary>Copies the rectangle with top-left corner (<paramref name="x"/>, <paramref name="y"/>) and the given size.</summary>
    /// <param name="image">Source image.</param>
    /// <param name="x">Left column of the rectangle.</param>
    /// <param name="y">Top row of the rectangle.</param>
    /// <param name="width">Width of the rectangle.</param>
    /// <param name="height">Height of the rectangle.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle is empty or does not lie inside the image.</exception>
    public static SignalImage Crop(SignalImage image, int x, int y, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckSize(width, height);
        if (x < 0 || y < 0 || (long)x + width > image.Width || (long)y + height > image.Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"Crop rectangle ({x}, {y}, {width}×{height}) does not lie inside the {image.Width}×{image.Height} image.");
        int ch = image.Channels;
        var result = new SignalImage(width, height, ch);
        for (int row = 0; row < height; row++)
            Array.Copy(image.Data, ((y + row) * image.Width + x) * ch, result.Data, row * width * ch, width * ch);
        return result;
    }

    private static void CheckSize(int width, int height)
    {
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
    }

    // One axis of a separable resampling: target i reads Index[Start[i] .. Start[i+1]) with the matching Weight.
    private sealed record AxisWeights(int[] Start, int[] Index, float[] Weight);

    private static AxisWeights AreaWeights(int sourceLength, int targetLength)
    {
        // Target pixel i covers [i·s, (i+1)·s) in source units; each overlapped source pixel j gets
        // overlap / s, so the weights of a target pixel sum to 1.
        double scale = (double)sourceLength / targetLength;
        var start = new int[targetLength + 1];
        var index = new List<int>();
        var weight = new List<float>();
        for (int i = 0; i < targetLength; i++)
        {
            start[i] = index.Count;
            double lo = i * scale, hi = (i + 1) * scale;
            int first = (int)Math.Floor(lo), last = Math.Min(sourceLength - 1, (int)Math.Ceiling(hi) - 1);
            for (int j = first; j <= last; j++)
            {
                double overlap = Math.Min(j + 1, hi) - Math.Max(j, lo);
                if (overlap <= 0) continue;
                index.Add(j);
                weight.Add((float)(overlap / scale));
            }
        }
        start[targetLength] = index.Count;
        return new AxisWeights(start, [.. index], [.. weight]);
    }

    private static AxisWeights BicubicWeights(int sourceLength, int targetLength) => KernelWeights(sourceLength, targetLength, 2, Keys);

    // Taps x0 − radius + 1 … x0 + radius around the source position s = (i + 0.5)·scale − 0.5 (x0 = ⌊s⌋),
    // clamped to the edges; the weights are normalised to sum 1 (Keys' already do; Lanczos' nearly).
    private static AxisWeights KernelWeights(int sourceLength, int targetLength, int radius, Func<double, double> kernel)
    {
        double scale = (double)sourceLength / targetLength;
        int taps = 2 * radius;
        var start = new int[targetLength + 1];
        var index = new int[targetLength * taps];
        var weight = new float[targetLength * taps];
        for (int i = 0; i < targetLength; i++)
        {
            start[i] = taps * i;
            double s = (i + 0.5) * scale - 0.5;
            double floor = Math.Floor(s), t = s - floor;
            int x0 = (int)floor;
            double sum = 0;
            var w = new double[taps];
            for (int k = 0; k < taps; k++) sum += w[k] = kernel(t - (k - radius + 1));
            for (int k = 0; k < taps; k++)
            {
                index[taps * i + k] = Math.Clamp(x0 - radius + 1 + k, 0, sourceLength - 1);
                weight[taps * i + k] = (float)(w[k] / sum);
            }
        }
        start[targetLength] = taps * targetLength;
        return new AxisWeights(start, index, weight);
    }

    private static double Lanczos(double d)
    {
        d = Math.Abs(d);
        if (d < 1e-12) return 1;
        if (d >= LanczosA) return 0;
        double pd = Math.PI * d;
        return LanczosA * Math.Sin(pd) * Math.Sin(pd / LanczosA) / (pd * pd);
    }

    // Keys (1981) cubic convolution kernel with parameter a.
    private static double Keys(double d)
    {
        const double a = BicubicA;
        d = Math.Abs(d);
        if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
        if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        return 0;
    }

    private static SignalImage ApplySeparable(SignalImage image, AxisWeights alongX, AxisWeights alongY)
    {
        int srcW = image.Width, srcH = image.Height, ch = image.Channels;
        int dstW = alongX.Start.Length - 1, dstH = alongY.Start.Length - 1;
        float[] src = image.Data;

        // Horizontal pass: srcH rows × dstW columns.
        var mid = new float[srcH * dstW * ch];
        for (int y = 0; y < srcH; y++)
            for (int x = 0; x < dstW; x++)
                for (int c = 0; c < ch; c++)
                {
                    float acc = 0;
                    for (int k = alongX.Start[x]; k < alongX.Start[x + 1]; k++)
                        acc += alongX.Weight[k] * src[(y * srcW + alongX.Index[k]) * ch + c];
                    mid[(y * dstW + x) * ch + c] = acc;
                }

        // Vertical pass: whole rows at a time, so the inner loop runs over contiguous memory.
        var result = new SignalImage(dstW, dstH, ch);
        float[] dst = result.Data;
        int rowLength = dstW * ch;
        for (int y = 0; y < dstH; y++)
        {
            int o = y * rowLength;
            for (int k = alongY.Start[y]; k < alongY.Start[y + 1]; k++)
            {
                float w = alongY.Weight[k];
                int r = alongY.Index[k] * rowLength;
                for (int i = 0; i < rowLength; i++) dst[o + i] += w * mid[r + i];
            }
        }
        return result;
    }
}
