using System.Numerics;

namespace IINR.Signals;

/// <summary>
/// A seeded pseudo-random generator whose output is fixed by this code alone: xoshiro256** (Blackman and
/// Vigna) with its state filled by SplitMix64 from the seed. Unlike <see cref="Random"/>, whose algorithm the
/// runtime may change, the same seed gives the same sequence on every platform and release.
/// </summary>
/// <remarks>Not thread-safe and not cryptographic.</remarks>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>Creates a generator; equal seeds give equal sequences.</summary>
    /// <param name="seed">Any value, 0 included (SplitMix64 never yields an all-zero state).</param>
    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (mean 0, variance 1), by Marsaglia's polar method; samples come in pairs, the second is kept for the next call.</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>A Poisson sample with mean <paramref name="lambda"/>; exact for every λ (see <see cref="PoissonSampler"/>).</summary>
    /// <param name="lambda">The mean, finite and non-negative.</param>
    public long NextPoisson(double lambda) => PoissonSampler.Sample(this, lambda);

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
