using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace IINR.Tests.Core;

[TestClass]
public sealed class BadInputTests
{
    static void Fails<T>(Action act, string param, string valueText) where T : ArgumentException
    {
        var e = Assert.Throws<T>(act);
        Assert.AreEqual(param, e.ParamName, e.Message);
        StringAssert.Contains(e.Message, valueText);
    }

    [TestMethod]
    public void TrainingSetRejectsBadShapesAndValues()
    {
        var grid = TestData.Grid(4, 4);
        var img = TestData.Image(4, 4);
        Fails<ArgumentOutOfRangeException>(() => new TrainingSet(grid, 0, img, 3), "dims", "got 0");
        Fails<ArgumentOutOfRangeException>(() => new TrainingSet(grid, 4, img, 3), "dims", "got 4");
        Fails<ArgumentOutOfRangeException>(() => new TrainingSet(grid, 2, img, 0), "channels", "got 0");
        Fails<ArgumentOutOfRangeException>(() => new TrainingSet(grid, 2, img, 65), "channels", "got 65");
        Fails<ArgumentException>(() => new TrainingSet([], 2, img, 3), "coordinates", "no coordinates");
        Fails<ArgumentException>(() => new TrainingSet(grid.AsSpan(0, 31).ToArray(), 2, img, 3), "coordinates", "31 values");

        var nan = (float[])grid.Clone(); nan[9] = float.NaN;
        Fails<ArgumentException>(() => new TrainingSet(nan, 2, img, 3), "coordinates", "row 4, value 1 is NaN");
        var inf = (float[])img.Clone(); inf[7] = float.PositiveInfinity;
        Fails<ArgumentException>(() => new TrainingSet(grid, 2, inf, 3), "signal", "row 2, value 1 is Infinity");
    }

    [TestMethod]
    public void FitRejectsMismatchedRowsAndBadOptions()
    {
        var data = new TrainingSet(TestData.Grid(4, 4), 2, TestData.Image(4, 3), 3);
        Fails<ArgumentException>(() => InrTrainer.Fit(data, TestData.Small(1)), "data", "12 rows but there are 16 coordinates");

        var ok = TestData.ImageSet(4);
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(0)), "Iterations", "got 0");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { Steps = 0 }), "Steps", "got 0");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { Backbone = (BackboneKind)99 }), "Backbone", "99");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { Gate = (GateActivation)7 }), "Gate", "7");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { LearningRate = double.NaN }), "LearningRate", "NaN");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { HiddenSize = 0 }), "HiddenSize", "got 0");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { BatchSize = 0 }), "BatchSize", "got 0");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { Threads = 0 }), "Threads", "got 0");
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(ok, TestData.Small(1) with { Device = (ComputeDevice)5 }), "Device", "5");
    }

    [TestMethod]
    public void WireSettingsBeyondFloat32AreRefused()
    {
        // ω0 = 20, s0 = 1: each complex Gabor layer can amplify by e^100, float32 ends near e^88.
        var wire = TestData.Small(1) with { Backbone = BackboneKind.Wire, Omega0 = 20, Scale = 1, HiddenLayers = 3 };
        Fails<ArgumentOutOfRangeException>(() => InrTrainer.Fit(TestData.ImageSet(4), wire), "Scale", "cannot be represented in float32");
        Fails<ArgumentOutOfRangeException>(() => (wire with { Scale = 1.5 }).Validate(), "Scale", "Scale ≥ 1.85");
        (wire with { Scale = 3 }).Validate(); // e^33 in all: representable
        (wire with { HiddenLayers = 0 }).Validate(); // no complex layer
        (wire with { Backbone = BackboneKind.Gauss }).Validate(); // s is Gauss's scale there
        new InrOptions { Backbone = BackboneKind.Wire }.Validate();
    }

    [TestMethod]
    public void PredictRejectsBadCoordinatesAndSteps()
    {
        using var m = InrTrainer.Fit(TestData.ImageSet(4), TestData.Small(1));
        Fails<ArgumentException>(() => m.Predict(new float[3]), "coordinates", "not a multiple of D = 2");
        Fails<ArgumentException>(() => m.Predict(new[] { 0f, float.NaN }), "coordinates", "row 0, value 1 is NaN");
        Fails<ArgumentOutOfRangeException>(() => m.Predict(new float[2], 0), "steps", "between 1 and 1000");
    }

    [TestMethod]
    public void CudaWithoutAGpuIsAClearError()
    {
        if (TorchRuntime.CudaAvailable) Assert.Inconclusive("This machine has CUDA.");
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => InrTrainer.Fit(TestData.ImageSet(4), TestData.Small(1) with { Device = ComputeDevice.Cuda }));
        StringAssert.Contains(e.Message, "no CUDA device");
        StringAssert.Contains(e.Message, "IINRTorchBackend");
    }
}
