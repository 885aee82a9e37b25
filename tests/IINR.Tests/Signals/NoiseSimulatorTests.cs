using System.Runtime.InteropServices;
using IINR.Signals;

namespace IINR.Tests.Signals;

[TestClass]
public sealed class NoiseSimulatorTests
{
    private static (double Mean, double Variance) Moments(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Count;
        return (mean, variance);
    }

    [TestMethod]
    [DataRow(0.1)]   // λ = τ·I = 3: the multiplication sampler
    [DataRow(0.5)]   // λ = 15: PTRS
    [DataRow(0.9)]   // λ = 27: PTRS
    public void PhotonNoiseHasTheModelMeanAndVariance(double intensity)
    {
        const double tau = 30, sigma = 2;
        const int n = 256 * 256;
        var clean = new SignalImage(256, 256, 1);
        Array.Fill(clean.Data, (float)intensity);
        var noisy = NoiseSimulator.AddPhotonNoise(clean, tau, sigma, seed: 42);

        // y = (P + σ·Z) / τ with P ~ Poisson(τI): mean I, variance I/τ + σ²/τ²; fourth cumulant of y is
        // (τI)/τ⁴ (Poisson; the Gaussian adds none), so Var(sample variance) ≈ (κ4 + 2·Var²) / n.
        double lambda = (float)intensity * tau;
        double variance = lambda / (tau * tau) + sigma * sigma / (tau * tau);
        double kappa4 = lambda / Math.Pow(tau, 4);
        double meanTolerance = 5 * Math.Sqrt(variance / n);
        double varianceTolerance = 5 * Math.Sqrt((kappa4 + 2 * variance * variance) / n);

        var (mean, sampleVariance) = Moments([.. noisy.Data.Select(v => (double)v)]);
        Assert.AreEqual((float)intensity, mean, meanTolerance, "mean");
        Assert.AreEqual(variance, sampleVariance, varianceTolerance, "variance");
        Assert.IsTrue(noisy.Data.Any(v => v < 0 || v > 1) || intensity > 0.2, "not clipped: values leave [0, 1] near 0");
    }

    [TestMethod]
    public void PhotonNoiseIsNotClippedByDefaultAndClipsOnRequest()
    {
        var clean = TestScene.RenderGrey(32, 32);
        var raw = NoiseSimulator.AddPhotonNoise(clean, seed: 1);
        var clipped = NoiseSimulator.AddPhotonNoise(clean, seed: 1, clip: true);
        Assert.IsTrue(raw.Data.Any(v => v < 0) && raw.Data.Any(v => v > 1), "raw noise leaves [0, 1]");
        Assert.IsTrue(clipped.Data.All(v => v >= 0 && v <= 1));
        for (int i = 0; i < raw.Data.Length; i++) Assert.AreEqual(Math.Clamp(raw.Data[i], 0f, 1f), clipped.Data[i]);
    }

    [TestMethod]
    public void NoiseIsDeterministicPerSeed()
    {
        var clean = TestScene.Render(32, 32);
        static byte[] Bytes(SignalImage image) => MemoryMarshal.AsBytes(image.Data.AsSpan()).ToArray();
        CollectionAssert.AreEqual(Bytes(NoiseSimulator.AddPhotonNoise(clean, seed: 5)), Bytes(NoiseSimulator.AddPhotonNoise(clean, seed: 5)));
        CollectionAssert.AreNotEqual(Bytes(NoiseSimulator.AddPhotonNoise(clean, seed: 5)), Bytes(NoiseSimulator.AddPhotonNoise(clean, seed: 6)));
        CollectionAssert.AreEqual(Bytes(NoiseSimulator.AddGaussianNoise(clean, 0.1, seed: 5)), Bytes(NoiseSimulator.AddGaussianNoise(clean, 0.1, seed: 5)));
    }

    [TestMethod]
    public void GaussianNoiseHasTheRequestedSpread()
    {
        const int n = 128 * 128 * 3;
        const double sigma = 0.1;
        var clean = new SignalImage(128, 128, 3);
        Array.Fill(clean.Data, 0.5f);
        var (mean, variance) = Moments([.. NoiseSimulator.AddGaussianNoise(clean, sigma, seed: 9).Data.Select(v => (double)v)]);
        Assert.AreEqual(0.5, mean, 5 * sigma / Math.Sqrt(n));
        Assert.AreEqual(sigma * sigma, variance, 5 * sigma * sigma * Math.Sqrt(2.0 / n));
    }

    [TestMethod]
    public void GeneratorFollowsXoshiro256StarStarSeededBySplitMix64()
    {
        // Reference values computed independently (Python) from the published algorithms, seed 0.
        var random = new DeterministicRandom(0);
        Assert.AreEqual(0x99EC5F36CB75F2B4UL, random.NextUInt64());
        Assert.AreEqual(0xBF6E1F784956452AUL, random.NextUInt64());
        Assert.AreEqual(0x1A5F849D4933E6E0UL, random.NextUInt64());
    }

    [TestMethod]
    [DataRow(0.5)]
    [DataRow(4.0)]
    [DataRow(9.99)]
    [DataRow(10.0)]
    [DataRow(30.0)]
    [DataRow(1000.0)]
    [DataRow(1e7)]
    public void PoissonSamplesHaveMeanAndVarianceLambda(double lambda)
    {
        const int n = 40000;
        var random = new DeterministicRandom((ulong)(lambda * 1000));
        var samples = new double[n];
        for (int i = 0; i < n; i++) samples[i] = random.NextPoisson(lambda);
        Assert.IsTrue(samples.All(s => s >= 0 && s == Math.Floor(s)));
        var (mean, variance) = Moments(samples);
        // Poisson: κ4 = λ, so Var(sample variance) ≈ (λ + 2λ²) / n.
        Assert.AreEqual(lambda, mean, 5 * Math.Sqrt(lambda / n), "mean");
        Assert.AreEqual(lambda, variance, 5 * Math.Sqrt((lambda + 2 * lambda * lambda) / n), "variance");
    }

    [TestMethod]
    [DataRow(3.0)]
    [DataRow(12.0)]
    [DataRow(45.0)]
    public void PoissonFrequenciesMatchTheProbabilityMassFunction(double lambda)
    {
        const int n = 200000;
        var random = new DeterministicRandom(77);
        var counts = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            long k = random.NextPoisson(lambda);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        // Every value with p ≥ 0.002 must be within 5 binomial standard errors of n·p; p(k) by recurrence.
        double p = Math.Exp(-lambda);
        int binsChecked = 0;
        for (int k = 0; k < lambda * 3 + 10; k++)
        {
            if (k > 0) p *= lambda / k;
            if (p < 0.002) continue;
            double expected = n * p, tolerance = 5 * Math.Sqrt(n * p * (1 - p));
            Assert.AreEqual(expected, counts.GetValueOrDefault(k), tolerance, $"P(X = {k})");
            binsChecked++;
        }
        Assert.IsGreaterThan(5, binsChecked);
    }

    [TestMethod]
    public void PoissonRejectsInvalidMeans()
    {
        var random = new DeterministicRandom(1);
        Assert.AreEqual(0, random.NextPoisson(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => random.NextPoisson(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => random.NextPoisson(double.NaN));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => random.NextPoisson(double.PositiveInfinity));
    }
}
