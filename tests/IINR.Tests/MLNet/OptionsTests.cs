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
        Assert.AreEqual(0, options.BackProjectionRounds, "the render as it is unless the super-resolution preset asks");
        Assert.AreEqual(TaskPresets.SuperResolutionBackProjectionRounds, IINROptions.ForSuperResolution().BackProjectionRounds);
        Assert.AreEqual(0, IINROptions.ForDenoising().BackProjectionRounds);
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
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(new IINROptions { BackProjectionRounds = -1 }.Validate);
        Assert.AreEqual(nameof(IINROptions.BackProjectionRounds), e.ParamName);
        var e2 = Assert.ThrowsExactly<ArgumentException>(new IINROptions { OutputColumnName = "" }.Validate);
        Assert.AreEqual(nameof(IINROptions.OutputColumnName), e2.ParamName);
        var e3 = Assert.ThrowsExactly<ArgumentNullException>(new IINROptions { Model = null! }.Validate);
        Assert.AreEqual(nameof(IINROptions.Model), e3.ParamName);
    }

    [TestMethod]
    public void WidthForWeightsPerValueReproducesThePapersNetwork()
    {
        // The paper's Kodak runs: 3×300 SIREN on 768×512×3, (2+1)·300 + 3·(300²+300) + (300+1)·3 = 272,703 weights.
        long values = 768 * 512 * 3;
        var siren = new InrOptions { Backbone = BackboneKind.Siren, HiddenLayers = 3 };
        Assert.AreEqual(300, TaskPresets.WidthForWeightsPerValue(272_703.0 / values, values, siren, 2, 3));
        Assert.AreEqual(299, TaskPresets.WidthForWeightsPerValue(272_702.0 / values, values, siren, 2, 3));
        Assert.AreEqual(2, TaskPresets.WidthForWeightsPerValue(1e-6, values, siren, 2, 3), "never narrower than 2");
    }

    [TestMethod]
    public void WidthForWeightsPerValueCountsTheWeightsEachBackboneHolds()
    {
        // 96×96 RGB at the paper's 0.23: every backbone's network stays within the budget, and one unit wider would not.
        long values = 96 * 96 * 3;
        foreach (var kind in Enum.GetValues<BackboneKind>())
        {
            var model = new InrOptions { Backbone = kind, HiddenLayers = 3 };
            int width = TaskPresets.WidthForWeightsPerValue(0.23, values, model, 2, 3);
            // The count a built network reports (HostileCheckpointTests checks the two agree for every backbone).
            double Ratio(int h) => (double)NetworkShape.BackboneParameterCount(model with { HiddenSize = h }, 2, 3) / values;
            Assert.IsLessThanOrEqualTo(0.23, Ratio(width), kind.ToString());
            if (kind != BackboneKind.Wire) // WIRE's complex width is ⌊H/√2⌋: one more H may build the same network
                Assert.IsGreaterThan(0.23, Ratio(width + 1), kind.ToString());
        }
        // Fourier features' first layer takes the 2·256 encoded inputs: far narrower than SIREN at the same budget.
        Assert.IsLessThan(TaskPresets.WidthForWeightsPerValue(0.23, values, new InrOptions { Backbone = BackboneKind.Siren }, 2, 3) / 2,
            TaskPresets.WidthForWeightsPerValue(0.23, values, new InrOptions { Backbone = BackboneKind.FourierFeatures }, 2, 3));
    }

    [TestMethod]
    public void FittingForBudgetSizesTheNetworkAndFitsFourierFeaturesOnThePositionalEncoding()
    {
        // The paper's Kodak regime: 0.23 weights per value gives SIREN its 3×300 on 768×512×3.
        long kodak = 768L * 512 * 3, crop = 96L * 96 * 3;
        Assert.AreEqual(TaskPresets.Fitting() with { HiddenSize = 300 },
            TaskPresets.FittingForBudget(TaskPresets.Fitting(), 272_703.0 / kodak, 2, 3, kodak, 768));
        foreach (var kind in Enum.GetValues<BackboneKind>())
        {
            var budget = TaskPresets.FittingForBudget(TaskPresets.Fitting(kind), 0.23, 2, 3, crop, 96);
            Assert.AreEqual(TaskPresets.WidthForWeightsPerValue(0.23, crop, budget, 2, 3), budget.HiddenSize, kind.ToString());
            Assert.AreEqual(TaskPresets.FittingForSignal(budget with { LearningRate = null, Omega0 = TaskPresets.Fitting(kind).Omega0 }, 2, 3, crop), budget,
                $"{kind}: the small-network preset applies to the sized network");
        }
        // Fourier features: the positional encoding to 96 samples' Nyquist frequency (6 octaves: 24 inputs), at the small-network
        // rate; the Gaussian encoding's 512 inputs would leave a network under a third as wide.
        var fourier = TaskPresets.FittingForBudget(TaskPresets.Fitting(BackboneKind.FourierFeatures), 0.23, 2, 3, crop, 96);
        Assert.AreEqual((FourierEncoding.Positional, 6, 1e-2), (fourier.FourierEncoding, fourier.FourierOctaves, fourier.LearningRate));
        Assert.AreEqual(41, fourier.HiddenSize);
        Assert.IsLessThan(fourier.HiddenSize / 3, TaskPresets.WidthForWeightsPerValue(0.23, crop, TaskPresets.Fitting(BackboneKind.FourierFeatures), 2, 3));
        Assert.IsNull(TaskPresets.FittingForSignal(TaskPresets.Fitting(BackboneKind.FourierFeatures) with { HiddenSize = 11 }, 2, 3, crop).LearningRate,
            "the Gaussian encoding sized by width keeps its rate");
        // The ML.NET preset for an image is the same sizing: 96 wide and 64 tall, the Nyquist octaves of the longer side.
        var wide = new SignalImage(96, 64, 3);
        Assert.AreEqual(TaskPresets.FittingForBudget(TaskPresets.Fitting(BackboneKind.FourierFeatures), 0.23, 2, 3, 96L * 64 * 3, 96),
            IINROptions.ForFitting(wide, 0.23, BackboneKind.FourierFeatures).Model);
        Assert.AreEqual(6, IINROptions.ForFitting(wide, 0.23, BackboneKind.FourierFeatures).Model.FourierOctaves);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => IINROptions.ForFitting(wide, 0));
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.FittingForBudget(TaskPresets.Fitting(), bad, 2, 3, crop, 96), bad.ToString());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.FittingForBudget(TaskPresets.Fitting(), 0.23, 2, 3, crop, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.WidthForWeightsPerValue(double.NaN, crop, TaskPresets.Fitting(), 2, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TaskPresets.FittingForBudget(TaskPresets.Fitting(), 0.23, 0, 3, crop, 96));
        Assert.AreEqual(InrOptions.MaxHiddenSize, TaskPresets.WidthForWeightsPerValue(1e12, crop, TaskPresets.Fitting(), 2, 3), "never wider than the options accept");
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
        var positional = TaskPresets.Fitting(BackboneKind.FourierFeatures) with { HiddenSize = 300, FourierEncoding = FourierEncoding.Positional };
        Assert.AreEqual(1e-2, TaskPresets.FittingForSignal(positional, 2, 3, kodak).LearningRate, "Fourier features on the positional encoding");
        Assert.IsNull(TaskPresets.FittingForSignal(positional, 2, 3, crop).LearningRate, "a positional network with several weights per value keeps its rate");
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
            Assert.AreEqual(kind == BackboneKind.Siren ? NoiseMode.Resampled : NoiseMode.Fixed, denoise.Model.Noise,
                "denoising resamples SIREN's Z (a fixed one lets the heads tie each pixel's noise to its Z)");
            Assert.AreEqual(new InrOptions
            {
                Backbone = kind, Iterations = 300, Omega0 = kind == BackboneKind.Wire ? 10 : null,
                Gate = kind == BackboneKind.FourierFeatures ? GateActivation.TwoSigmoid : GateActivation.Identity,
            }, fit.Model, "fitting changes nothing else but WIRE's ω0 and the Fourier-features gate");
            Assert.AreEqual(kind switch { BackboneKind.Finer => GateActivation.OnePlusTanh, BackboneKind.FourierFeatures => GateActivation.TwoSigmoid, _ => GateActivation.Identity }, sr.Model.Gate,
                "super-resolution bounds FINER's gate (an unbounded one lets gate and b change sign together between the observed pixels) and " +
                "Fourier features' (as on every image task)");
            Assert.AreEqual(kind == BackboneKind.FourierFeatures ? GateActivation.TwoSigmoid : GateActivation.Identity, denoise.Model.Gate,
                "denoising bounds Fourier features' gate only");
            Assert.AreEqual(GateActivation.Identity, occupancy.Model.Gate, "occupancy keeps the unbounded gate");
            Assert.AreEqual(1, fit.TrainingScale);
            Assert.AreEqual(2, sr.TrainingScale, "super-resolution fits through the 2× forward model");
            Assert.AreEqual(16384, occupancy.Model.BatchSize, "occupancy trains on random batches");
            if (kind != BackboneKind.Wire)
                Assert.AreEqual((3, 128), (occupancy.Model.HiddenLayers, occupancy.Model.HiddenSize), "occupancy: 3×256 memorises the training points");
            Assert.AreEqual(kind == BackboneKind.Wire ? 1e-4 : 3e-4, occupancy.Model.HeadLearningRate,
                "occupancy: heads slower than the backbone (at its rate the iterative model trails the plain one); WIRE's slowest");
            Assert.AreSame(occupancy.Model, TaskPresets.OccupancyForRun(occupancy.Model), "the preset's 1,000 (WIRE 2,000) iterations keep the slow heads");
            Assert.IsNull(TaskPresets.OccupancyForRun(occupancy.Model with { Iterations = 300 }).HeadLearningRate, "a short run trains the heads at the backbone's rate");
            var userRate = occupancy.Model with { Iterations = 300, HeadLearningRate = 2e-4 };
            Assert.AreSame(userRate, TaskPresets.OccupancyForRun(userRate), "a head rate the user set stays");

            bool sine = kind is BackboneKind.Siren or BackboneKind.Finer;
            Assert.AreEqual(kind == BackboneKind.Siren ? 15.0 : kind == BackboneKind.Finer ? 8.0 : kind == BackboneKind.Wire ? 4.0 : (double?)null, sr.Model.Omega0, $"super-resolution ω0 of {kind}");
            Assert.AreEqual(kind == BackboneKind.Wire ? 4.0 : kind == BackboneKind.Gauss ? 5.0 : (double?)null, sr.Model.Scale, $"super-resolution s0 / s of {kind}");
            Assert.AreEqual(kind == BackboneKind.Wire ? 5e-3 : (double?)null, sr.Model.LearningRate, $"super-resolution learning rate of {kind}");
            Assert.AreEqual(kind == BackboneKind.Finer ? 0.3 : 1.0, sr.Model.FinerBiasRange, $"super-resolution FINER bias range of {kind}");
            Assert.AreEqual(1.0, fit.Model.FinerBiasRange, $"fitting keeps FINER's own bias range ({kind})");
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
        Assert.AreEqual(1e-4, wire.HeadLearningRate, "I-WIRE's heads train slower than the backbone, as every backbone's");
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
