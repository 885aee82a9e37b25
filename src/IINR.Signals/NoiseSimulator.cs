namespace IINR.Signals;

/// <summary>Simulated sensor noise, deterministic for a given seed.</summary>
/// <remarks>
/// Photon noise follows the I-INR and WIRE denoising baselines: with photon count τ per unit intensity and
/// readout noise σ in photo-electrons, y = (Poisson(τ·I) + σ·N(0, 1)) / τ, so E[y] = I and
/// Var[y] = I/τ + σ²/τ². As there (WIRE's <c>measure</c>), a negative intensity gives −Poisson(−τ·I), and by
/// default the result is NOT clipped: it can leave [0, 1], which keeps the noise unbiased; pass
/// <c>clip: true</c> for a displayable image. Values are drawn in storage order from one
/// <see cref="DeterministicRandom"/>: per value, the Poisson count and then the readout sample.
/// </remarks>
public static class NoiseSimulator
{
    /// <summary>The I-INR/WIRE photon count per unit intensity, τ = 30.</summary>
    public const double DefaultTau = 30;

    /// <summary>The I-INR/WIRE readout noise, σ = 2 photo-electrons.</summary>
    public const double DefaultReadoutSigma = 2;

    /// <summary>Adds photon (Poisson) plus readout (Gaussian) noise: y = (Poisson(τ·I) + σ·N(0, 1)) / τ.</summary>
    /// <param name="clean">The noise-free image, nominally in [0, 1].</param>
    /// <param name="tau">Photons per unit intensity, finite and positive; smaller is noisier.</param>
    /// <param name="readoutSigma">Readout noise standard deviation in photo-electrons (before the division by τ), non-negative.</param>
    /// <param name="seed">Seed; equal seeds give equal noise.</param>
    /// <param name="clip">Clamp the result to [0, 1] (biases the noise near 0 and 1).</param>
    public static SignalImage AddPhotonNoise(SignalImage clean, double tau = DefaultTau, double readoutSigma = DefaultReadoutSigma, ulong seed = 0, bool clip = false)
    {
        ArgumentNullException.ThrowIfNull(clean);
        if (!(tau > 0) || double.IsPositiveInfinity(tau)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "τ must be finite and positive.");
        if (!(readoutSigma >= 0) || double.IsPositiveInfinity(readoutSigma)) throw new ArgumentOutOfRangeException(nameof(readoutSigma), readoutSigma, "The readout noise must be finite and non-negative.");
        // The photon count τ·I of the brightest value must stay within the sampler's range: refused here, naming τ, before any work.
        float brightest = 0;
        foreach (float v in clean.Data) brightest = Math.Max(brightest, Math.Abs(v));
        if (tau * brightest > PoissonSampler.MaxMean)
            throw new ArgumentOutOfRangeException(nameof(tau), tau,
                $"τ = {tau:G3} photons per unit intensity makes a mean photon count of {tau * brightest:G3} at the brightest value ({brightest:G3}); the Poisson sampler's limit is {PoissonSampler.MaxMean:G2}, so τ must be at most {PoissonSampler.MaxMean / brightest:G3}.");

        var random = new DeterministicRandom(seed);
        var result = new SignalImage(clean.Width, clean.Height, clean.Channels);
        float[] src = clean.Data, dst = result.Data;
        for (int i = 0; i < src.Length; i++)
        {
            double photons = tau * src[i];
            double count = photons >= 0 ? random.NextPoisson(photons) : -random.NextPoisson(-photons);
            double y = (count + readoutSigma * random.NextGaussian()) / tau;
            dst[i] = (float)(clip ? Math.Clamp(y, 0, 1) : y);
        }
        return result;
    }

    /// <summary>Adds white Gaussian noise: y = I + σ·N(0, 1).</summary>
    /// <param name="clean">The noise-free image.</param>
    /// <param name="sigma">Standard deviation in intensity units (e.g. 0.1 for 10 % of the [0, 1] range), non-negative.</param>
    /// <param name="seed">Seed; equal seeds give equal noise.</param>
    /// <param name="clip">Clamp the result to [0, 1].</param>
    public static SignalImage AddGaussianNoise(SignalImage clean, double sigma, ulong seed = 0, bool clip = false)
    {
        ArgumentNullException.ThrowIfNull(clean);
        if (!(sigma >= 0) || double.IsPositiveInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "σ must be finite and non-negative.");

        var random = new DeterministicRandom(seed);
        var result = new SignalImage(clean.Width, clean.Height, clean.Channels);
        float[] src = clean.Data, dst = result.Data;
        for (int i = 0; i < src.Length; i++)
        {
            double y = src[i] + sigma * random.NextGaussian();
            dst[i] = (float)(clip ? Math.Clamp(y, 0, 1) : y);
        }
        return result;
    }
}
