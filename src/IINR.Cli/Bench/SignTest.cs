using System.Globalization;

namespace IINR.Cli.Bench;

/// <summary>The paired sign test: is one method ahead of another more often than chance?</summary>
public static class SignTest
{
    /// <summary>Two-sided exact p-value for <paramref name="wins"/> against <paramref name="losses"/> (ties dropped):
    /// P(a count at least this lopsided | each pair is a fair coin).</summary>
    public static double TwoSidedP(int wins, int losses)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wins);
        ArgumentOutOfRangeException.ThrowIfNegative(losses);
        int n = wins + losses;
        if (n == 0) return 1;
        int k = Math.Min(wins, losses);
        double tail = 0;
        for (int i = 0; i <= k; i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return Math.Min(1, 2 * tail);
    }

    /// <summary>"p = 0.008"; below 0.01 two significant digits ("p = 0.0075", "p = 0.00014"), so that a small p never
    /// prints as 0.</summary>
    public static string FormatP(double p) =>
        "p = " + (p >= 0.01 || p == 0 ? p.ToString("0.000", CultureInfo.InvariantCulture) : p.ToString("G2", CultureInfo.InvariantCulture));

    /// <summary>Wins, losses and the p-value of paired differences (a − b).</summary>
    public static (int Wins, int Losses, double P) Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples differ in length: {a.Count} and {b.Count}.", nameof(b));
        int w = 0, l = 0;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i]) w++;
            else if (a[i] < b[i]) l++;
        }
        return (w, l, TwoSidedP(w, l));
    }

    static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
