namespace IINR.Signals;

/// <summary>Full-reference image quality metrics: MSE, PSNR and SSIM.</summary>
/// <remarks>
/// All metrics compare images of equal width, height and channel count (otherwise an
/// <see cref="ArgumentException"/> names both shapes) and accumulate in double precision.
/// </remarks>
public static class ImageMetrics
{
    /// <summary>Side of the SSIM window in pixels (an 11-tap Gaussian, as Wang et al. 2004).</summary>
    public const int SsimWindowSize = 11;

    /// <summary>Standard deviation of the SSIM Gaussian window, in pixels.</summary>
    public const double SsimSigma = 1.5;

    /// <summary>SSIM luminance stabiliser: C1 = (K1·L)².</summary>
    public const double SsimK1 = 0.01;

    /// <summary>SSIM contrast stabiliser: C2 = (K2·L)².</summary>
    public const double SsimK2 = 0.03;

    /// <summary>Mean squared error over all pixels and channels.</summary>
    /// <param name="a">First image.</param>
    /// <param name="b">Second image, same shape.</param>
    public static double Mse(SignalImage a, SignalImage b)
    {
        SignalImage.EnsureSameShape(a, b, nameof(b));
        return Mse(a.Data, b.Data);
    }

    /// <summary>Mean squared error of two equally long runs of values (accumulated in double precision).</summary>
    /// <param name="a">First values.</param>
    /// <param name="b">Second values, as many.</param>
    public static double Mse(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"The runs hold {a.Length} and {b.Length} values; they must be equally long.", nameof(b));
        if (a.Length == 0) throw new ArgumentException("There are no values to compare.", nameof(a));
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum / a.Length;
    }

    /// <summary>
    /// Peak signal-to-noise ratio in dB of two images, <see cref="Psnr(double, double)"/> of their <see cref="Mse(SignalImage, SignalImage)"/>.
    /// </summary>
    /// <param name="a">First image.</param>
    /// <param name="b">Second image, same shape.</param>
    /// <param name="dataRange">The value range R; 1 for images in [0, 1].</param>
    public static double Psnr(SignalImage a, SignalImage b, double dataRange = 1.0)
    {
        if (!(dataRange > 0)) throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be positive.");
        return Psnr(Mse(a, b), dataRange);
    }

    /// <summary>
    /// Peak signal-to-noise ratio in dB for a mean squared error: 10·log10(R² / MSE); a zero error gives
    /// <see cref="double.PositiveInfinity"/> (explicitly, not via a division by zero). The one PSNR formula of
    /// the project: training progress, task reports and <see cref="Psnr(SignalImage, SignalImage, double)"/> use it.
    /// </summary>
    /// <param name="mse">The mean squared error, ≥ 0.</param>
    /// <param name="dataRange">The value range R; 1 for signals in [0, 1].</param>
    public static double Psnr(double mse, double dataRange = 1.0) =>
        mse <= 0 ? double.PositiveInfinity : 10 * Math.Log10(dataRange * dataRange / mse);

    /// <summary>Mean structural similarity (SSIM), averaged over channels.</summary>
    /// <remarks>
    /// Matches scikit-image's <c>structural_similarity(a, b, data_range=L, channel_axis=-1,
    /// gaussian_weights=True, sigma=1.5, use_sample_covariance=False)</c>, the convention of Wang et al. (2004):
    /// per channel, local statistics use the normalised 11×11 Gaussian window w (σ = 1.5, i.e. scipy's
    /// truncate = 3.5) with population (not sample) covariances: μx = Σw·x, σx² = Σw·x² − μx²,
    /// σxy = Σw·x·y − μx·μy; then SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)) with
    /// C1 = (0.01·L)², C2 = (0.03·L)². It is averaged over the 'valid' window positions only — windows lying
    /// wholly inside the image, (W − 10)·(H − 10) of them, which is what scikit-image's crop of 5 pixels per side
    /// keeps — and then over channels. No downsampling of large images (unlike the original MATLAB script).
    /// </remarks>
    /// <param name="a">First image.</param>
    /// <param name="b">Second image, same shape, at least 11×11.</param>
    /// <param name="dataRange">The value range L; 1 for images in [0, 1].</param>
    public static double Ssim(SignalImage a, SignalImage b, double dataRange = 1.0)
    {
        SignalImage.EnsureSameShape(a, b, nameof(b));
        if (!(dataRange > 0)) throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be positive.");
        if (a.Width < SsimWindowSize || a.Height < SsimWindowSize)
            throw new ArgumentException($"SSIM needs images of at least {SsimWindowSize}×{SsimWindowSize} pixels; got {a.Shape}.", nameof(a));

        double[] window = GaussianWindow();
        double c1 = SsimK1 * dataRange * SsimK1 * dataRange, c2 = SsimK2 * dataRange * SsimK2 * dataRange;
        double total = 0;
        for (int c = 0; c < a.Channels; c++) total += ChannelSsim(a, b, c, window, c1, c2);
        return total / a.Channels;
    }

    // The 1-D factor of the separable window: exp(−d²/2σ²), d = −5..5, normalised to sum 1 (as scipy).
    private static double[] GaussianWindow()
    {
        var w = new double[SsimWindowSize];
        int radius = SsimWindowSize / 2;
        double sum = 0;
        for (int i = 0; i < SsimWindowSize; i++)
        {
            double d = i - radius;
            sum += w[i] = Math.Exp(-d * d / (2 * SsimSigma * SsimSigma));
        }
        for (int i = 0; i < SsimWindowSize; i++) w[i] /= sum;
        return w;
    }

    private static double ChannelSsim(SignalImage a, SignalImage b, int channel, double[] window, double c1, double c2)
    {
        int width = a.Width, height = a.Height, ch = a.Channels, n = window.Length;
        int validW = width - n + 1, validH = height - n + 1;
        float[] x = a.Data, y = b.Data;

        // Horizontal pass for the five windowed moments: x, y, x², y², x·y (all rows, valid columns).
        var hx = new double[height * validW];
        var hy = new double[height * validW];
        var hxx = new double[height * validW];
        var hyy = new double[height * validW];
        var hxy = new double[height * validW];
        for (int row = 0; row < height; row++)
            for (int col = 0; col < validW; col++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                for (int k = 0; k < n; k++)
                {
                    int i = (row * width + col + k) * ch + channel;
                    double w = window[k], xv = x[i], yv = y[i];
                    sx += w * xv; sy += w * yv;
                    sxx += w * xv * xv; syy += w * yv * yv; sxy += w * xv * yv;
                }
                int o = row * validW + col;
                hx[o] = sx; hy[o] = sy; hxx[o] = sxx; hyy[o] = syy; hxy[o] = sxy;
            }

        // Vertical pass and the SSIM map, averaged over valid positions.
        double total = 0;
        for (int row = 0; row < validH; row++)
            for (int col = 0; col < validW; col++)
            {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int k = 0; k < n; k++)
                {
                    int i = (row + k) * validW + col;
                    double w = window[k];
                    mx += w * hx[i]; my += w * hy[i];
                    mxx += w * hxx[i]; myy += w * hyy[i]; mxy += w * hxy[i];
                }
                double vx = mxx - mx * mx, vy = myy - my * my, cxy = mxy - mx * my;
                total += (2 * mx * my + c1) * (2 * cxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        return total / ((double)validW * validH);
    }
}
