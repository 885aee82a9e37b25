using System.Globalization;

namespace IINR.Signals;

/// <summary>
/// The size rule every buffer of the library follows: no single array (or tensor) holds more than 2 GiB, so
/// a request too large for memory fails with a clear message before any work, never with an overflow half-way.
/// Sizes are computed in checked 64-bit arithmetic.
/// </summary>
public static class SizeLimits
{
    /// <summary>The most <see cref="float"/> values one buffer may hold: 2²⁹ (2 GiB).</summary>
    public const long MaxFloats = 1L << 29;

    /// <summary>The most bytes one buffer may hold: 2³¹ − 1 (what a span can address).</summary>
    public const long MaxBytes = int.MaxValue;

    /// <summary><paramref name="count"/> as an array length, or an <see cref="ArgumentOutOfRangeException"/> saying that
    /// <paramref name="what"/> (e.g. "a 20000×20000×3 image") holds more than <see cref="MaxFloats"/> values.</summary>
    /// <param name="count">The number of float values, computed in 64-bit arithmetic.</param>
    /// <param name="what">What would hold them, for the message.</param>
    /// <param name="paramName">The parameter that asked for the size.</param>
    public static int Floats(long count, string what, string? paramName = null)
    {
        if (count < 0 || count > MaxFloats)
            throw new ArgumentOutOfRangeException(paramName, count,
                $"{what} holds {Format(count)} values ({Gigabytes(count > long.MaxValue / 4 ? -1 : count * 4)}), more than one buffer may hold ({Format(MaxFloats)} float values, 2 GiB).");
        return (int)count;
    }

    /// <summary>The product of <paramref name="factors"/> in checked 64-bit arithmetic, or <see cref="long.MaxValue"/> when it overflows
    /// (which any limit then refuses).</summary>
    public static long Product(params ReadOnlySpan<long> factors)
    {
        long p = 1;
        foreach (long f in factors)
        {
            if (f < 0) return long.MaxValue;
            if (f != 0 && p > long.MaxValue / f) return long.MaxValue;
            p *= f;
        }
        return p;
    }

    /// <summary>A count with thousands separators, for messages.</summary>
    public static string Format(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A byte count in GB (in MB below 1 GB), for messages; a negative count (an overflowed product) reads "more than 9 EB".</summary>
    public static string Gigabytes(long bytes) =>
        bytes < 0 ? "more than 9 EB"
        : bytes >= 1_000_000_000 ? (bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " GB"
        : (bytes / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " MB";
}
