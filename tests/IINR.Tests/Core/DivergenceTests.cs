using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Tests.Core;

/// <summary>Training that diverges stops with a named error instead of returning a NaN model (issue 14: <c>--lr 1e30</c>
/// and a signal value of 3e38 trained to NaN, exited 0 and wrote a black PNG and a NaN model).</summary>
[TestClass]
public sealed class DivergenceTests
{
    [TestMethod]
    public void AHugeLearningRateStopsWithTheIterationAndTheLikelyCause()
    {
        var e = Assert.ThrowsExactly<TrainingDivergedException>(() =>
            InrTrainer.Fit(TestData.ImageSet(8), TestData.Small(20) with { LearningRate = 1e30 }));
        Assert.IsGreaterThan(1, e.Iteration, "the first loss is computed before any update");
        Assert.IsFalse(double.IsFinite(e.Loss));
        StringAssert.Contains(e.Message, $"iteration {e.Iteration} of 20");
        StringAssert.Contains(e.Message, "the learning rate (1E+30");
        StringAssert.Contains(e.Message, "No model was produced");
    }

    [TestMethod]
    public void AnExtremeSignalValueStopsAtTheFirstIterationNamingTheScale()
    {
        var set = TestData.ImageSet(8);
        set.Signal[5] = 3e38f;
        var e = Assert.ThrowsExactly<TrainingDivergedException>(() => InrTrainer.Fit(set, TestData.Small(5)));
        Assert.AreEqual(1, e.Iteration);
        StringAssert.Contains(e.Message, "the signal's scale (its largest magnitude is 3E+38");

        // The ML.NET surface throws the same.
        var image = TestScene.Render(8, 8);
        image.Data[0] = 3e38f;
        var options = new IINROptions { Model = TestData.Small(5) };
        Assert.ThrowsExactly<TrainingDivergedException>(() => new MLContext(seed: 0).Transforms.IINR.FitImage(image, options));
    }
}
