namespace IINR.Trainers;

/// <summary>Signal metrics used in progress reports.</summary>
public static class Metrics
{
    /// <summary>PSNR in dB for a mean squared error, data range 1; +∞ for a perfect fit.</summary>
    public static double Psnr(double mse) => mse <= 0 ? double.PositiveInfinity : -10 * Math.Log10(mse);
}
