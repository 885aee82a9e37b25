using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Tests.MLNet;

/// <summary>IINROptions holds the core's InrOptions (one options type) and the task presets.</summary>
[TestClass]
public sealed class OptionsTests
{
    [TestMethod]
    public void DefaultsAreTheCoresAndTheDocumentedSurfaceValues()
    {
        var options = new IINROptions();
        Assert.AreEqual(new InrOptions(), options.Model);
        Assert.IsNull(options.Model.Seed, "no seed given: the MLContext's is used");
        Assert.AreEqual(("Coordinates", "Signal", "Reconstruction"), (options.CoordinatesColumnName, options.SignalColumnName, options.OutputColumnName));
        Assert.AreEqual(1, options.TrainingScale);
        Assert.IsNull(options.Progress);
        Assert.AreEqual(CancellationToken.None, options.CancellationToken);
        options.Validate();
    }

    [TestMethod]
    public void ValidateNamesTheOptionOnceForEveryLayer()
    {
        // The core's own check, reached through the surface: the parameter name is the InrOptions property.
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(new IINROptions { Model = new() { Iterations = 0 } }.Validate);
        Assert.AreEqual(nameof(InrOptions.Iterations), e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(new IINROptions { Model = new() { Omega0 = -1 } }.Validate);
        Assert.AreEqual(nameof(InrOptions.Omega0), e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(new IINROptions { TrainingScale = 65 }.Validate);
        Assert.AreEqual(nameof(IINROptions.TrainingScale), e.ParamName);
        var e2 = Assert.ThrowsExactly<ArgumentException>(new IINROptions { OutputColumnName = "" }.Validate);
        Assert.AreEqual(nameof(IINROptions.OutputColumnName), e2.ParamName);
        var e3 = Assert.ThrowsExactly<ArgumentNullException>(new IINROptions { Model = null! }.Validate);
        Assert.AreEqual(nameof(IINROptions.Model), e3.ParamName);
    }

    [TestMethod]
    public void FittingForSignalRaisesTheRateOfWireAndGaussBelowHalfAWeightPerValue()
    {
        // The paper's regime: 3×300 on a 768×512 RGB image (0.23 backbone weights per value); the fitting preset's 3×256 on 128×128 RGB (about 4).
        long kodak = 768L * 512 * 3, crop = 128L * 128 * 3;
        foreach (var kind in Enum.GetValues<BackboneKind>())
        {
            var paper = TaskPresets.Fitting(kind) with { HiddenSize = 300 };
            var large = TaskPresets.Fitting(kind);
            double? small = kind is BackboneKind.Wire or BackboneKind.Gauss ? 1e-2 : null;
            Assert.AreEqual(small, TaskPresets.FittingForSignal(paper, 2, 3, kodak).LearningRate, $"{kind}, 0.23 weights per value");
            Assert.AreEqual(paper with { LearningRate = small, Omega0 = kind == BackboneKind.Wire ? 5 : paper.Omega0 },
                TaskPresets.FittingForSignal(paper, 2, 3, kodak), $"{kind}: nothing else changes but WIRE's ω0");
            Assert.AreSame(large, TaskPresets.FittingForSignal(large, 2, 3, crop), $"{kind}, several weights per value");
            var set = paper with { LearningRate = 2e-3 };
            Assert.AreSame(set, TaskPresets.FittingForSignal(set, 2, 3, kodak), $"{kind}: a rate that is set stays");
        }
        var wire = TaskPresets.Fitting(BackboneKind.Wire) with { HiddenSize = 300, Omega0 = 20 };
        Assert.AreEqual(20.0, TaskPresets.FittingForSignal(wire, 2, 3, kodak).Omega0, "an ω0 other than the preset's stays");
        Assert.AreEqual(0.23, TaskPresets.BackboneWeightsPerValue(TaskPresets.Fitting() with { HiddenSize = 300 }, 2, 3, kodak), 0.005);
        Assert.AreEqual(4.0, TaskPresets.BackboneWeightsPerValue(TaskPresets.Fitting(), 2, 3, crop), 0.1);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.FittingForSignal(TaskPresets.Fitting(), 2, 3, 0));
    }

    [TestMethod]
    public void PresetsHoldTheTaskValuesPerBackbone()
    {
        foreach (var kind in Enum.GetValues<BackboneKind>())
        {
            var fit = IINROptions.ForFitting(kind);
            var sr = IINROptions.ForSuperResolution(kind);
            var denoise = IINROptions.ForDenoising(kind);
            var occupancy = IINROptions.ForOccupancy(kind);
            foreach (var o in new[] { fit, sr, denoise, occupancy })
            {
                Assert.AreEqual(kind, o.Model.Backbone);
                Assert.AreEqual(o == sr ? (kind == BackboneKind.Gauss ? 1200 : 600) : o == occupancy ? (kind == BackboneKind.Wire ? 2000 : 1000) : 300, o.Model.Iterations,
                    "the CPU-budget iterations of every task (a smaller network for super-resolution, and twice as long for Gauss, which still " +
                    "gains there; fresh points every batch for occupancy, twice as many for WIRE, which underfits them at 1,000)");
                o.Validate();
            }
            Assert.AreEqual((2, 128, NoiseMode.Resampled), (sr.Model.HiddenLayers, sr.Model.HiddenSize, sr.Model.Noise), "super-resolution's network and Z");
            Assert.AreEqual(new InrOptions
            {
                Backbone = kind, Iterations = 300, Omega0 = kind == BackboneKind.Wire ? 10 : null,
                Gate = kind == BackboneKind.FourierFeatures ? GateActivation.TwoSigmoid : GateActivation.Identity,
            }, fit.Model, "fitting changes nothing else but WIRE's ω0 and the Fourier-features gate");
            Assert.AreEqual(kind is BackboneKind.Finer or BackboneKind.FourierFeatures ? GateActivation.TwoSigmoid : GateActivation.Identity, sr.Model.Gate,
                "super-resolution bounds FINER's gate (an unbounded one lets gate and b change sign together between the observed pixels) and " +
                "Fourier features' (as on every image task)");
            Assert.AreEqual(kind == BackboneKind.FourierFeatures ? GateActivation.TwoSigmoid : GateActivation.Identity, denoise.Model.Gate,
                "denoising bounds Fourier features' gate only");
            Assert.AreEqual(GateActivation.Identity, occupancy.Model.Gate, "occupancy keeps the unbounded gate");
            Assert.AreEqual(1, fit.TrainingScale);
            Assert.AreEqual(2, sr.TrainingScale, "super-resolution fits through the 2× forward model");
            Assert.AreEqual(16384, occupancy.Model.BatchSize, "occupancy trains on random batches");
            if (kind != BackboneKind.Wire)
            {
                Assert.AreEqual((3, 128), (occupancy.Model.HiddenLayers, occupancy.Model.HiddenSize), "occupancy: 3×256 memorises the training points");
                Assert.IsNull(occupancy.Model.HeadLearningRate, "occupancy: heads at the backbone's rate (slower heads fail short runs)");
            }

            bool sine = kind is BackboneKind.Siren or BackboneKind.Finer;
            Assert.AreEqual(kind == BackboneKind.Siren ? 15.0 : kind == BackboneKind.Finer ? 8.0 : kind == BackboneKind.Wire ? 4.0 : (double?)null, sr.Model.Omega0, $"super-resolution ω0 of {kind}");
            Assert.AreEqual(kind == BackboneKind.Wire ? 4.0 : kind == BackboneKind.Gauss ? 5.0 : (double?)null, sr.Model.Scale, $"super-resolution s0 / s of {kind}");
            Assert.AreEqual(kind == BackboneKind.Wire ? 5e-3 : (double?)null, sr.Model.LearningRate, $"super-resolution learning rate of {kind}");
            Assert.AreEqual(sine ? 10.0 : kind == BackboneKind.Wire ? 5.0 : (double?)null, denoise.Model.Omega0, $"denoising ω0 of {kind}");
            Assert.AreEqual(sine ? 15.0 : kind == BackboneKind.Wire ? 5.0 : (double?)null, occupancy.Model.Omega0, $"occupancy ω0 of {kind}");
            Assert.AreEqual(kind is BackboneKind.Wire or BackboneKind.Gauss ? 5.0 : (double?)null, denoise.Model.Scale, $"denoising scale of {kind}");
        }
        Assert.AreEqual(1.5, IINROptions.ForOccupancy(BackboneKind.FourierFeatures).Model.FourierScale, "Fourier features: σ = 10 memorises the points");
        Assert.AreEqual(1.0, IINROptions.ForSuperResolution(BackboneKind.FourierFeatures).Model.FourierScale, "Fourier features: σ = 10 fails 4× super-resolution");
        Assert.AreEqual(2.0, IINROptions.ForDenoising(BackboneKind.FourierFeatures).Model.FourierScale, "Fourier features: σ = 10 reproduces the noise");
        Assert.AreEqual(new InrOptions().FourierScale, IINROptions.ForSuperResolution(BackboneKind.Siren).Model.FourierScale, "σ is Fourier features' alone");
        var gauss = IINROptions.ForOccupancy(BackboneKind.Gauss).Model;
        Assert.AreEqual((10.0, 5e-3), (gauss.Scale, gauss.LearningRate), "Gauss occupancy s and learning rate");
        var wire = IINROptions.ForOccupancy(BackboneKind.Wire).Model;
        Assert.AreEqual(5.0, wire.Omega0, "WIRE occupancy ω0");
        Assert.AreEqual(5.0, wire.Scale, "WIRE occupancy s0: wider than the authors' 40, which does not generalise off the training points");
        Assert.AreEqual(5e-3, wire.LearningRate);
        Assert.AreEqual(0.2, wire.FinalLearningRateFactor, "WIRE's own decay");
        Assert.AreEqual((2, 256), (wire.HiddenLayers, wire.HiddenSize), "WIRE's own depth and width, as measured");
        Assert.AreEqual(1e-3, wire.HeadLearningRate, "I-WIRE's heads train slower than the backbone");
        Assert.IsTrue(wire.EffectiveOmega0 / wire.EffectiveScale < 2, "the WIRE authors' rule ω0/s0 < 2");
        Assert.AreEqual(0.1, IINROptions.ForOccupancy(BackboneKind.Siren).Model.FinalLearningRateFactor, "only WIRE changes the decay");
        Assert.AreEqual(3, IINROptions.ForSuperResolution(trainingScale: 3).TrainingScale);

        // Sized to the observations: 128 up to 32×32, 4·√(w·h) in between (multiples of 32), 256 from 64×64.
        Assert.AreEqual(128, IINROptions.ForSuperResolution(TestScene.Render(32, 32)).Model.HiddenSize);
        Assert.AreEqual(128, TaskPresets.SuperResolutionHiddenSizeFor(8, 5));
        Assert.AreEqual(192, TaskPresets.SuperResolutionHiddenSizeFor(48, 48));
        Assert.AreEqual(256, TaskPresets.SuperResolutionHiddenSizeFor(64, 64));
        Assert.AreEqual(256, TaskPresets.SuperResolutionHiddenSizeFor(1920, 1080));
        var wireFor64 = IINROptions.ForSuperResolution(TestScene.Render(64, 64), BackboneKind.Wire, trainingScale: 4);
        Assert.AreEqual(TaskPresets.SuperResolution(BackboneKind.Wire) with { HiddenSize = 256 }, wireFor64.Model);
        Assert.AreEqual(4, wireFor64.TrainingScale);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.SuperResolutionHiddenSizeFor(0, 4));
        Assert.AreEqual(TaskPresets.Denoising(BackboneKind.Wire), IINROptions.ForDenoising(BackboneKind.Wire).Model, "one table: the core's presets");
    }

    [TestMethod]
    public void EachCallGivesFreshOptions()
    {
        var a = IINROptions.ForFitting();
        a.Model = a.Model with { Iterations = 7 };
        a.TrainingScale = 4;
        var b = IINROptions.ForFitting();
        Assert.AreEqual(300, b.Model.Iterations);
        Assert.AreEqual(1, b.TrainingScale);
    }
}
