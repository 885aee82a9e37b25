namespace IINR.Signals;

/// <summary>
/// Exact Poisson sampling. Below <see cref="TransformedRejectionThreshold"/> it multiplies uniforms until the
/// product drops under e^−λ (Knuth; cost grows with λ). From there on it uses PTRS, Hörmann's transformed
/// rejection with squeeze (1993), whose cost stays flat in λ; both are exact, with no normal approximation.
/// This is the same split and the same PTRS constants as NumPy's legacy and Generator samplers.
/// </summary>
public static class PoissonSampler
{
    /// <summary>The mean from which PTRS is used instead of the multiplication method.</summary>
    public const double TransformedRejectionThreshold = 10;

    /// <summary>The largest mean sampled (the result still fits a long).</summary>
    public const double MaxMean = 4.6e18;

    /// <summary>Draws one sample with mean <paramref name="lambda"/> from <paramref name="random"/>.</summary>
    /// <param name="random">The uniform source.</param>
    /// <param name="lambda">The mean, finite and non-negative (and below 2⁶², where the result still fits a long).</param>
    public static long Sample(DeterministicRandom random, double lambda)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(lambda >= 0) || lambda > MaxMean)
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"The Poisson mean must be finite, non-negative and below {MaxMean:G2}.");
        if (lambda == 0) return 0;
        return lambda < TransformedRejectionThreshold ? Multiplication(random, lambda) : Ptrs(random, lambda);
    }

    private static long Multiplication(DeterministicRandom random, double lambda)
    {
        double limit = Math.Exp(-lambda), product = random.NextDouble();
        long k = 0;
        while (product > limit)
        {
            k++;
            product *= random.NextDouble();
        }
        return k;
    }

    // W. Hörmann, "The transformed rejection method for generating Poisson random variables",
    // Insurance: Mathematics and Economics 12 (1993) 39–45; valid for λ ≥ 10.
    private static long Ptrs(DeterministicRandom random, double lambda)
    {
        double sqrtLambda = Math.Sqrt(lambda), logLambda = Math.Log(lambda);
        double b = 0.931 + 2.53 * sqrtLambda;
        double a = -0.059 + 0.02483 * b;
        double inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = random.NextDouble() - 0.5;
            double v = random.NextDouble();
            double us = 0.5 - Math.Abs(u);
            long k = (long)Math.Floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;   // the squeeze: accept without logarithms
            if (k < 0 || (us < 0.013 && v > us)) continue;
            // log(0) = −∞ is fine here: it accepts.
            if (Math.Log(v) + Math.Log(inverseAlpha) - Math.Log(a / (us * us) + b) <= -lambda + k * logLambda - LogFactorial(k))
                return k;
        }
    }

    private static readonly double[] SmallLogFactorials = BuildLogFactorials(256);

    private static double[] BuildLogFactorials(int count)
    {
        var table = new double[count];
        for (int n = 2; n < count; n++) table[n] = table[n - 1] + Math.Log(n);
        return table;
    }

    // ln(k!) = lnΓ(k + 1): a table for small k, Stirling's series beyond (error far below 1e-15 for k ≥ 256).
    internal static double LogFactorial(long k)
    {
        if (k < SmallLogFactorials.Length) return SmallLogFactorials[k];
        double x = k + 1.0, inverse = 1 / x, inverse2 = inverse * inverse;
        return (x - 0.5) * Math.Log(x) - x + 0.91893853320467274178 // ln √(2π)
               + inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 / 1680)));
    }
}
