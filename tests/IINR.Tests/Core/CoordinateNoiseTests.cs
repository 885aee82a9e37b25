using IINR.Trainers;

namespace IINR.Tests.Core;

/// <summary>The start state Z: the vectorised Box–Muller against its scalar definition (Math.Log, Math.Cos).</summary>
[TestClass]
public sealed class CoordinateNoiseTests
{
    static float[] Coordinates(int rows, int dims, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * dims];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i % 11) switch
            {
                0 => 0f,
                1 => -0f,
                2 => (float)(rng.NextDouble() * 2000 - 1000),
                _ => (float)(rng.NextDouble() * 2 - 1),
            };
        return x;
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(2, 3)]
    [DataRow(3, 1)]
    [DataRow(2, 4)]
    [DataRow(4, 7)]
    public void EqualsTheScalarDefinitionToTheLastBit(int dims, int channels)
    {
        const int rows = 50_003; // several blocks, a partial vector at the end
        var x = Coordinates(rows, dims, seed: dims * 10 + channels);
        var z = CoordinateNoise.Sample(x, rows, dims, channels, seed: 42, NoiseDistribution.Gaussian);
        int differ = 0;
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < channels; c++)
            {
                float expected = CoordinateNoise.Reference(x.AsSpan(i * dims, dims), c, 42), actual = z[i * channels + c];
                if (expected != actual)
                {
                    differ++;
                    // A double-precision result on a float's rounding boundary may round the other way: one ulp at most.
                    Assert.AreEqual(expected, actual, Math.Abs(expected) * 1.2e-7 + 1e-30, $"row {i}, channel {c}");
                }
            }
        int count = rows * channels;
        Assert.IsTrue(differ <= count / 100_000 + 1, $"{differ} of {count} values differ from the scalar definition in the last bit.");
    }

    [TestMethod]
    public void IsStandardNormalOverAGrid()
    {
        const int side = 256;
        var x = new float[side * side * 2];
        for (int i = 0; i < side * side; i++) { x[2 * i] = -1 + 2f * (i % side) / (side - 1); x[2 * i + 1] = -1 + 2f * (i / side) / (side - 1); }
        var z = CoordinateNoise.Sample(x, side * side, 2, 3, seed: 1, NoiseDistribution.Gaussian);
        double mean = z.Average(), variance = z.Select(v => (v - mean) * (v - mean)).Average();
        double beyond2 = z.Count(v => Math.Abs(v) > 2) / (double)z.Length;
        Assert.AreEqual(0, mean, 0.01, "mean");
        Assert.AreEqual(1, variance, 0.02, "variance");
        Assert.AreEqual(0.0455, beyond2, 0.003, "share beyond two standard deviations");
    }

    [TestMethod]
    public void SameCoordinateSameValueWhateverTheBatch()
    {
        // The parallel path (large batches) and the single-threaded one, and a row alone, give the same bits.
        int rows = 20_000;
        var x = Coordinates(rows, 2, seed: 3);
        var all = CoordinateNoise.Sample(x, rows, 2, 3, seed: 9, NoiseDistribution.Gaussian);
        var part = CoordinateNoise.Sample(x.AsSpan(2 * 12_345, 2 * 37), 37, 2, 3, seed: 9, NoiseDistribution.Gaussian);
        CollectionAssert.AreEqual(all.AsSpan(3 * 12_345, 3 * 37).ToArray(), part);
        var one = CoordinateNoise.Sample(x.AsSpan(2 * 777, 2), 1, 2, 3, seed: 9, NoiseDistribution.Gaussian);
        CollectionAssert.AreEqual(all.AsSpan(3 * 777, 3).ToArray(), one);
        // −0 and +0 are the same coordinate; another seed is another Z.
        Assert.AreEqual(CoordinateNoise.Sample([0f, 0.5f], 1, 2, 1, 9, NoiseDistribution.Gaussian)[0],
            CoordinateNoise.Sample([-0f, 0.5f], 1, 2, 1, 9, NoiseDistribution.Gaussian)[0]);
        Assert.AreNotEqual(all[0], CoordinateNoise.Sample(x.AsSpan(0, 2), 1, 2, 3, seed: 10, NoiseDistribution.Gaussian)[0]);
    }
}
