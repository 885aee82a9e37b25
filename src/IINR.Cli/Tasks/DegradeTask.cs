using IINR.Signals;

namespace IINR.Cli.Tasks;

/// <summary>What <see cref="DegradeTask"/> does; with the defaults it changes nothing.</summary>
/// <param name="Downscale">Integer area-downscale factor (the mean of each factor×factor block); 1 = none.</param>
/// <param name="PhotonTau">Photons per unit intensity τ of the photon-noise simulator; null = no noise.</param>
/// <param name="ReadoutSigma">Readout noise σ in photo-electrons, added before dividing by τ (only with <paramref name="PhotonTau"/>).</param>
/// <param name="Seed">Seed of the noise.</param>
public sealed record DegradeOptions(int Downscale = 1, double? PhotonTau = null, double ReadoutSigma = NoiseSimulator.DefaultReadoutSigma, ulong Seed = 0);

/// <summary>The outcome of <see cref="DegradeTask"/>.</summary>
/// <param name="Image">The degraded image, not clipped (noisy values may leave [0, 1]).</param>
/// <param name="CroppedWidth">Columns dropped at the right so the width is a multiple of the factor.</param>
/// <param name="CroppedHeight">Rows dropped at the bottom so the height is a multiple of the factor.</param>
/// <param name="OutOfRangeFraction">Fraction of the values outside [0, 1]: what an 8-bit PNG clips.</param>
public sealed record DegradeResult(SignalImage Image, int CroppedWidth, int CroppedHeight, double OutOfRangeFraction);

/// <summary>
/// The degradations of the benchmarks: area downscaling by an integer factor, then photon noise as in the
/// baselines' code, y = (Poisson(τ·I) + σ·N(0, 1)) / τ (<see cref="NoiseSimulator.AddPhotonNoise"/>; τ = 30, σ = 2 there).
/// </summary>
public static class DegradeTask
{
    /// <summary>Degrades <paramref name="image"/>. A size that is not a multiple of the factor is cropped at the right and bottom first.</summary>
    public static DegradeResult Run(SignalImage image, DegradeOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        int f = options.Downscale;
        if (f < 1) throw new ArgumentOutOfRangeException(nameof(options), f, $"The downscale factor must be ≥ 1; got {f}.");
        if (f > image.Width || f > image.Height)
            throw new ArgumentOutOfRangeException(nameof(options), f, $"The downscale factor {f} is larger than the {image.Width}×{image.Height} image.");
        int cw = image.Width % f, ch = image.Height % f;
        var result = image;
        if (cw != 0 || ch != 0) result = Resampling.Crop(result, 0, 0, image.Width - cw, image.Height - ch);
        if (f > 1) result = Resampling.DownscaleArea(result, f);
        if (options.PhotonTau is double tau) result = NoiseSimulator.AddPhotonNoise(result, tau, options.ReadoutSigma, options.Seed);
        else if (ReferenceEquals(result, image)) result = image.Clone();
        return new DegradeResult(result, cw, ch, ImageInr.OutOfRangeFraction(result));
    }
}
