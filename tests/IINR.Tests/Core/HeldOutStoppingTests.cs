using IINR.Signals;
using IINR.Trainers;
using static TorchSharp.torch;

namespace IINR.Tests.Core;

[TestClass]
public sealed class HeldOutStoppingTests
{
    // Every 4th pixel of a 16×16 image held out; the rest trains.
    static (TrainingSet Train, TrainingSet HeldOut) Split()
    {
        var data = TestData.ImageSet(16);
        var parts = Enumerable.Range(0, data.CoordinateCount).GroupBy(i => i % 4 == 1).ToDictionary(g => g.Key, g => g.ToArray());
        TrainingSet Take(int[] rows) => new(rows.SelectMany(i => data.Coordinates.Skip(2 * i).Take(2)).ToArray(), 2,
            rows.SelectMany(i => data.Signal.Skip(3 * i).Take(3)).ToArray(), 3);
        return (Take(parts[false]), Take(parts[true]));
    }

    static double HeldOutMse(InrModel m, TrainingSet held, int steps)
    {
        var p = m.Predict(held.Coordinates, steps);
        return p.Select((v, i) => (double)(v - held.Signal[i]) * (v - held.Signal[i])).Average();
    }

    [TestMethod]
    public void ObservesOnScheduleAndRestoresTheBestWeights()
    {
        var (train, held) = Split();
        using var stop = new HeldOutStopping(held, interval: 10, maxSteps: 3);
        // A learning rate high enough to overshoot, so the best point is usually not the last one.
        using var m = InrTrainer.Fit(train, TestData.Small(45) with { LearningRate = 3e-3 }, monitor: stop);
        CollectionAssert.AreEqual(new[] { 10, 20, 30, 40, 45 }, stop.Scores.Select(s => s.Iteration).Distinct().ToArray());
        Assert.AreEqual(15, stop.Scores.Count, "three step counts per evaluation");
        var best = stop.Best!.Value;
        Assert.AreEqual(stop.Scores.Min(s => s.Mse), best.Mse);
        // The returned model is the best evaluation's, whatever came after it.
        Assert.AreEqual(best.Mse, HeldOutMse(m, held, best.Steps), 1e-6 * (1 + best.Mse));
    }

    [TestMethod]
    public void APlainModelIsScoredOncePerEvaluation()
    {
        var (train, held) = Split();
        using var stop = new HeldOutStopping(held, interval: 5, maxSteps: 4);
        using var m = InrTrainer.Fit(train, TestData.Small(10) with { Iterative = false }, monitor: stop);
        Assert.IsTrue(stop.Scores.All(s => s.Steps == 1));
        Assert.AreEqual(2, stop.Scores.Count);
    }

    [TestMethod]
    public void GroupsAverageRenderedRowsLikeTheForwardModel()
    {
        // A held-out observation of a 2× super-resolution is the mean of its 4 rendered coordinates: a model
        // that fits the low-resolution image well predicts them closely.
        int w = 8, s = 2;
        var lr = TestData.Image(w, w);
        var grid = TestData.Grid(w * s, w * s);
        var cells = new[] { 9, 27, 45 };
        var heldCoords = new List<float>();
        var heldValues = new List<float>();
        foreach (int cell in cells)
        {
            int cy = cell / w, cx = cell % w;
            for (int dy = 0; dy < s; dy++)
                for (int dx = 0; dx < s; dx++)
                    heldCoords.AddRange(grid.Skip(2 * ((cy * s + dy) * w * s + cx * s + dx)).Take(2));
            heldValues.AddRange(lr.Skip(3 * cell).Take(3));
        }
        var held = new TrainingSet([.. heldCoords], 2, [.. heldValues], 3);
        using var stop = new HeldOutStopping(held, interval: 50, groupSize: s * s);
        using var m = InrTrainer.Fit(new TrainingSet(grid, 2, lr, 3), TestData.Small(150) with { Iterative = false },
            new AveragePoolOperator(w, w, s), monitor: stop);
        Assert.IsLessThan(1e-3, stop.Best!.Value.Mse, $"held-out error {stop.Best.Value.Mse:G3} of observations the model was fitted on");
        Assert.ThrowsExactly<ArgumentException>(() => new HeldOutStopping(held, 10, groupSize: 3));
    }

    [TestMethod]
    public void RefusesBadArguments()
    {
        var (_, held) = Split();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeldOutStopping(held, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeldOutStopping(held, 5, maxSteps: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeldOutStopping(held, 5, groupSize: 0));
    }
}

[TestClass]
public sealed class LiftTests
{
    [TestMethod]
    public void BicubicLiftIsTheBicubicUpsample()
    {
        var lr = TestData.Image(6, 5);
        var op = new AveragePoolOperator(6, 5, 4, LiftMode.Bicubic);
        using var observed = tensor(lr).reshape(30, 3);
        using var lifted = op.Lift(observed);
        var expected = Resampling.UpscaleBicubic(new SignalImage(6, 5, 3, lr), 4).Data;
        var got = lifted.data<float>().ToArray();
        Assert.AreEqual(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.AreEqual(expected[i], got[i], 1e-5, $"value {i}");
    }

    [TestMethod]
    public void NearestLiftRepeatsEachObservation()
    {
        var op = new AveragePoolOperator(2, 1, 2);
        using var observed = tensor(new float[] { 1, 2 }).reshape(2, 1);
        using var lifted = op.Lift(observed);
        CollectionAssert.AreEqual(new float[] { 1, 1, 2, 2, 1, 1, 2, 2 }, lifted.data<float>().ToArray());
    }
}
