using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;
using Microsoft.ML.Runtime;

namespace IINR.Tests.MLNet;

/// <summary>
/// The catalog's single-image and occupancy tasks, and how fitting uses the MLContext (log, seed, cancellation).
/// Tiny networks on tiny images, one libtorch thread.
/// </summary>
[TestClass]
public sealed class TaskTests
{
    private static IINROptions Tiny(IINROptions preset, int iterations = 8)
    {
        preset.Model = preset.Model with { HiddenLayers = 1, HiddenSize = 16, Iterations = iterations, Threads = 1, Device = ComputeDevice.Cpu, Seed = 0 };
        return preset;
    }

    [TestMethod]
    public void SuperResolveIsTheEstimatorsForwardModelRenderedAtTheScale()
    {
        var ml = new MLContext(seed: 0);
        var low = TestScene.Render(10, 8);
        var options = Tiny(IINROptions.ForSuperResolution());
        using var result = ml.Transforms.IINR.SuperResolve(low, 2.5, options);
        Assert.AreEqual("25×20×3", result.Image.Shape, "the frame at 2.5× the input size");
        Assert.AreEqual(ImageFrame.Of(low), result.Model.Image);

        // One path: the same fit through the estimator on LoadFromImage's view, rendered at the same size and then
        // back-projected onto the input (the preset's rounds), so that the output area-averages back to it.
        Assert.AreEqual(TaskPresets.SuperResolutionBackProjectionRounds, options.BackProjectionRounds);
        using var direct = ml.Transforms.IINR.Fit(ml.Data.LoadFromImage(low), options);
        var render = direct.RenderSignalImage(25, 20);
        var expected = new SignalImage(25, 20, 3, render.Data.ToArray());
        Resampling.BackProject(expected, low, options.BackProjectionRounds);
        CollectionAssert.AreEqual(expected.Data, result.Image.Data);
        CollectionAssert.AreEqual(render.Data, result.Model.RenderSignalImage(25, 20).Data, "the model itself is left as fitted");
        var back = Resampling.ResizeArea(result.Image, 10, 8);
        for (int i = 0; i < low.Data.Length; i++) Assert.AreEqual(low.Data[i], back.Data[i], 1e-3, $"value {i} of the output, area-averaged back");

        // Without back-projection the output is the render itself.
        options.BackProjectionRounds = 0;
        using (var raw = ml.Transforms.IINR.SuperResolve(low, 2.5, options))
            CollectionAssert.AreEqual(render.Data, raw.Image.Data);
        options.BackProjectionRounds = IINROptions.MaxBackProjectionRounds + 1;
        Assert.AreEqual(nameof(IINROptions.BackProjectionRounds),
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolve(low, 2.5, options)).ParamName);
        options.BackProjectionRounds = TaskPresets.SuperResolutionBackProjectionRounds;

        // The observation PSNR is the 2× render averaged back to the input grid, against the input.
        var seen = Resampling.DownscaleArea(result.Model.RenderSignalImage(20, 16), 2);
        Assert.AreEqual(ImageMetrics.Psnr(seen, low), result.ObservationPsnr, 1e-12);
        Assert.IsNull(result.StepSelection);
        Assert.IsGreaterThan(0.0, result.TrainSeconds);

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolve(low, 0, options));
        Assert.AreEqual("scale", e.ParamName);
    }

    [TestMethod]
    public void FitImageReconstructsAtTheInputSize()
    {
        var image = TestScene.Render(9, 12).ToGrey();
        using var result = new MLContext().Transforms.IINR.FitImage(image, Tiny(IINROptions.ForFitting(), iterations: 30));
        Assert.AreEqual(image.Shape, result.Image.Shape);
        Assert.AreEqual(ImageMetrics.Psnr(result.Image, image), result.ObservationPsnr, 1e-12);
        CollectionAssert.AreEqual(result.Model.RenderSignalImage(9, 12).Data, result.Image.Data);
        Assert.AreEqual(2, result.Model.Steps);
    }

    [TestMethod]
    public void FitImageTrainsASmallWireOrGaussNetworkAtTheHigherRate()
    {
        var image = TestScene.Render(24, 24); // 1,728 values
        foreach (var kind in new[] { BackboneKind.Wire, BackboneKind.Gauss, BackboneKind.Siren })
            foreach (int width in new[] { 6, 64 }) // about 0.1 and 5 backbone weights per value
            {
                var options = Tiny(IINROptions.ForFitting(kind), iterations: 2);
                options.Model = options.Model with { HiddenLayers = 2, HiddenSize = width };
                var given = options.Model;
                using var result = new MLContext().Transforms.IINR.FitImage(image, options);
                double? expected = width == 6 && kind != BackboneKind.Siren ? 1e-2 : null;
                Assert.AreEqual(expected, result.Model.ModelOptions.LearningRate, $"{kind} 2×{width}: the rate trained at");
                Assert.AreEqual(kind == BackboneKind.Wire ? (width == 6 ? 5.0 : 10.0) : null, result.Model.ModelOptions.Omega0, $"{kind} 2×{width}: ω0");
                Assert.AreSame(given, options.Model, "the caller's options stay as given");
            }

        var set = Tiny(IINROptions.ForFitting(BackboneKind.Gauss), iterations: 2);
        set.Model = set.Model with { HiddenSize = 6, LearningRate = 3e-3 };
        using var chosen = new MLContext().Transforms.IINR.FitImage(image, set);
        Assert.AreEqual(3e-3, chosen.Model.ModelOptions.LearningRate, "a rate the user set is kept");
    }

    [TestMethod]
    public void DenoiseChoosesTheStoppingPointAndTheStepsOnHeldOutPixels()
    {
        var ml = new MLContext();
        var noisy = NoiseSimulator.AddPhotonNoise(TestScene.Render(12, 12), seed: 3);
        var options = Tiny(IINROptions.ForDenoising(), iterations: 20);
        using var result = ml.Transforms.IINR.Denoise(noisy, options, maxSteps: 5);
        var selection = result.StepSelection!;
        Assert.HasCount(5, selection.Scores);
        CollectionAssert.AreEqual(new[] { 1, 2, 3, 4, 5 }, selection.Scores.Select(s => s.Steps).ToArray());
        Assert.AreEqual((int)Math.Ceiling(0.05 * 144), selection.HeldOutPixels);
        Assert.AreEqual(selection.Scores.MinBy(s => s.HeldOutMse).Steps, result.Model.Steps, "the output is rendered with the chosen steps");
        Assert.IsFalse(selection.Refitted);
        Assert.IsTrue(selection.Iteration is >= 1 and <= 20, $"stopped at {selection.Iteration}");

        // The scores are the held-out pixels' errors: the same split, predicted by the returned model.
        var (_, held) = ImageTasks.Split(noisy, 0.05, seed: 0);
        using (var view = result.Model.WithSteps(3))
            Assert.AreEqual(ImageMetrics.Mse(view.Predict(held.Coordinates), held.Signal), selection.Scores[2].HeldOutMse, 1e-12);
        Assert.AreEqual(ImageMetrics.Psnr(result.Image, noisy), result.ObservationPsnr, 1e-12);

        // Fixed steps: the options' steps, no selection; a refit trains again on all pixels.
        options.Model = options.Model with { Steps = 3 };
        using (var fixedSteps = ml.Transforms.IINR.Denoise(noisy, options, automaticSteps: false))
        {
            Assert.IsNull(fixedSteps.StepSelection);
            Assert.AreEqual(3, fixedSteps.Model.Steps);
        }
        using (var refit = ml.Transforms.IINR.Denoise(noisy, options, maxSteps: 2, refit: true))
        {
            Assert.IsTrue(refit.StepSelection!.Refitted);
            Assert.AreEqual(refit.StepSelection.Steps, refit.Model.Steps);
            Assert.AreEqual(refit.StepSelection.Steps, refit.Model.ModelOptions.Steps, "refitted with the chosen steps");
            Assert.AreEqual(refit.StepSelection.Iteration, refit.Model.ModelOptions.Iterations, "refitted for the chosen iterations");
        }

        // A plain backbone has no steps to choose, but its stopping point is chosen the same way.
        var plainOptions = Tiny(IINROptions.ForDenoising(), iterations: 20);
        plainOptions.Model = plainOptions.Model with { Iterative = false, Steps = 1 };
        using (var plain = ml.Transforms.IINR.Denoise(noisy, plainOptions))
        {
            var chosen = plain.StepSelection!;
            Assert.AreEqual(1, chosen.Scores.Single().Steps);
            Assert.IsTrue(chosen.Iteration is >= 1 and <= 20, $"stopped at {chosen.Iteration}");
            Assert.AreEqual(ImageMetrics.Mse(plain.Model.Predict(held.Coordinates), held.Signal), chosen.Scores[0].HeldOutMse, 1e-12,
                "the kept weights are the ones scored");
        }

        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.Denoise(noisy, options, holdOutFraction: 0.5));
        Assert.AreEqual("holdOutFraction", e.ParamName);
        options.BackProjectionRounds = 5; // denoising renders at the input's size: nothing to project onto
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.Denoise(noisy, options));
        Assert.AreEqual(nameof(IINROptions.BackProjectionRounds), e.ParamName);
    }

    [TestMethod]
    public void DenoiseHoldOutSplitPartitionsThePixels()
    {
        var image = TestScene.Render(20, 10);
        var (train, held) = ImageTasks.Split(image, 0.05, seed: 3);
        Assert.AreEqual(10, held.CoordinateCount, "⌈5 % of 200⌉");
        Assert.AreEqual(190, train.CoordinateCount);
        var grid = PixelGrid.Coordinates(20, 10);
        var index = Enumerable.Range(0, 200).ToDictionary(i => (grid[2 * i], grid[2 * i + 1]));
        var seen = new HashSet<int>();
        foreach (var set in new[] { train, held })
            for (int i = 0; i < set.CoordinateCount; i++)
            {
                int pixel = index[(set.Coordinates[2 * i], set.Coordinates[2 * i + 1])];
                Assert.IsTrue(seen.Add(pixel), "each pixel once");
                CollectionAssert.AreEqual(image.Data.AsSpan(3 * pixel, 3).ToArray(), set.Signal.AsSpan(3 * i, 3).ToArray(), "the values travel with their pixel");
            }
        Assert.HasCount(200, seen);
        CollectionAssert.AreEqual(held.Coordinates, ImageTasks.Split(image, 0.05, seed: 3).HeldOut.Coordinates, "seeded");
        CollectionAssert.AreNotEqual(held.Coordinates, ImageTasks.Split(image, 0.05, seed: 4).HeldOut.Coordinates);
    }

    [TestMethod]
    public void FitOccupancyOfAMeshScoresOffTheGridOnPointsItNeverSaw()
    {
        var torus = Shapes.Torus().NormalizeToUnitCube(0.05f, out _);
        var options = Tiny(IINROptions.ForOccupancy(), iterations: 40);
        var sampling = new OccupancyFitOptions { Resolution = 8, PointCount = 4000, TestPointCount = 3000, SamplingSeed = 5 };
        using var result = new MLContext().Transforms.IINR.FitOccupancy(torus, options, sampling);
        Assert.AreEqual(OccupancyTrainingPoints.Sampled, result.TrainingPoints);
        Assert.AreEqual(4000, result.TrainingPointCount);
        var sampler = new OccupancySampler(torus, maxDegreeOfParallelism: 1);
        var uniform = sampler.Uniform(3000, 6);
        Assert.AreEqual(uniform.IoU(result.Model.Predict(uniform.Coordinates)), result.UniformMetrics!.IoU, 1e-12);
        Assert.AreEqual(3000L, result.UniformMetrics.Count);
        var fine = sampler.Grid(16);
        Assert.AreEqual(fine.IoU(result.Model.Predict(fine.Coordinates)), result.FineGridMetrics!.IoU, 1e-12);
        Assert.AreEqual(16L * 16 * 16, result.FineGridMetrics.Count);
        var grid = sampler.Grid(8);
        CollectionAssert.AreEqual(result.Model.Predict(grid.Coordinates), result.Field);
        Assert.AreEqual(grid.IoU(result.Field), result.Metrics.IoU, 1e-12);
        Assert.AreEqual(MarchingCubes.Extract(result.Field, 8).TriangleCount, result.Surface.TriangleCount);
    }

    [TestMethod]
    public void SampledTrainingGeneralisesBetterOffTheGridThanGridTraining()
    {
        // Measured (1 thread, seed 0): trained on the 12³ grid, IoU 1.000 on it but 0.620 on uniform points and 0.642 on
        // the 24³ grid; trained on 20k sampled points, 0.909 and 0.902 (0.843 on the 12³ grid).
        var knot = Shapes.TorusKnot().NormalizeToUnitCube(0.05f, out _);
        var iinr = new MLContext().Transforms.IINR;
        var options = Tiny(IINROptions.ForOccupancy(), iterations: 150);
        options.Model = options.Model with { HiddenLayers = 2, HiddenSize = 32, Iterative = false };
        using var onGrid = iinr.FitOccupancy(knot, options, new OccupancyFitOptions { TrainingPoints = OccupancyTrainingPoints.Grid, Resolution = 12, TestPointCount = 10_000 });
        using var sampled = iinr.FitOccupancy(knot, options, new OccupancyFitOptions { Resolution = 12, PointCount = 20_000, TestPointCount = 10_000 });
        Assert.AreEqual(12 * 12 * 12, onGrid.TrainingPointCount);
        Assert.IsGreaterThan(onGrid.UniformMetrics!.IoU + 0.15, sampled.UniformMetrics!.IoU, $"sampled {sampled.UniformMetrics}, grid {onGrid.UniformMetrics}");
        Assert.IsGreaterThan(onGrid.FineGridMetrics!.IoU + 0.15, sampled.FineGridMetrics!.IoU, $"sampled {sampled.FineGridMetrics}, grid {onGrid.FineGridMetrics}");
        Assert.IsGreaterThan(0.85, sampled.UniformMetrics.IoU);
        Assert.IsGreaterThan(sampled.Metrics.IoU, onGrid.Metrics.IoU, "the grid-trained model fits its own grid better");
    }

    [TestMethod]
    public void FitOccupancyOfAMeshNamesABadOptionOrMesh()
    {
        var iinr = new MLContext().Transforms.IINR;
        var sphere = Shapes.IcoSphere().NormalizeToUnitCube(0.05f, out _);
        var options = Tiny(IINROptions.ForOccupancy());
        foreach (var (bad, name) in new (OccupancyFitOptions, string)[]
        {
            (new() { SurfaceSpread = 0 }, nameof(OccupancyFitOptions.SurfaceSpread)),
            (new() { UniformFraction = 1.5 }, nameof(OccupancyFitOptions.UniformFraction)),
            (new() { Resolution = 1 }, nameof(OccupancyFitOptions.Resolution)),
            (new() { Resolution = 257 }, nameof(OccupancyFitOptions.Resolution)),
            (new() { PointCount = 0 }, nameof(OccupancyFitOptions.PointCount)),
            (new() { TestPointCount = -1 }, nameof(OccupancyFitOptions.TestPointCount)),
            (new() { TrainingPoints = (OccupancyTrainingPoints)7 }, nameof(OccupancyFitOptions.TrainingPoints)),
        })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => iinr.FitOccupancy(sphere, options, bad));
            Assert.AreEqual(name, e.ParamName);
        }
        var outside = Shapes.IcoSphere(3f, 1);
        var error = Assert.ThrowsExactly<ArgumentException>(() => iinr.FitOccupancy(outside, options));
        Assert.AreEqual("mesh", error.ParamName);
        StringAssert.Contains(error.Message, "NormalizeToUnitCube");
    }

    [TestMethod]
    public void FitOccupancyMeasuresAndMeshesItsOwnPrediction()
    {
        var volume = Voxelizer.Voxelize(Shapes.IcoSphere().NormalizeToUnitCube(0.05f, out _), 10);
        var options = Tiny(IINROptions.ForOccupancy(), iterations: 60);
        options.Model = options.Model with { HiddenLayers = 2, HiddenSize = 32 };
        using var result = new MLContext().Transforms.IINR.FitOccupancy(volume, options);
        Assert.AreEqual(3, result.Model.CoordinateDimension);
        var field = result.Model.Predict(VoxelGrid.Coordinates(10, 10, 10));
        CollectionAssert.AreEqual(field, result.Field);
        Assert.AreEqual(VolumeMetrics.IoU(volume.ToFloatArray(), field, 0.5f), result.Metrics.IoU, 1e-12);
        Assert.IsGreaterThan(0.5, result.Metrics.IoU, "60 iterations find most of a sphere");
        var surface = MarchingCubes.Extract(field, 10, 10, 10, 0.5f);
        Assert.AreEqual(surface.TriangleCount, result.Surface.TriangleCount);
        Assert.IsTrue(result.Surface.IsWatertight());
    }

    [TestMethod]
    public void FittingLogsToTheContextAndTakesItsSeed()
    {
        var image = TestScene.Render(8, 8);
        var options = Tiny(IINROptions.ForFitting());
        options.Model = options.Model with { Seed = null, ProgressInterval = 4 };

        var ml = new MLContext(seed: 5);
        var log = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (log) log.Add(e); };
        using var fromContext = ml.Transforms.IINR.FitImage(image, options);
        Assert.AreEqual(5, fromContext.Model.ModelOptions.Seed, "no seed given: the context's");
        Assert.IsTrue(log.Any(e => e.Kind == ChannelMessageKind.Info && e.Message.Contains("Fitting an iterative Siren model", StringComparison.Ordinal) && e.Message.Contains("seed 5", StringComparison.Ordinal)),
            string.Join("\n", log.Select(e => e.Message)));
        // ML.NET prefixes each message with its source and kind.
        Assert.AreEqual(2, log.Count(e => e.Kind == ChannelMessageKind.Trace && e.Message.Contains("] Iteration ", StringComparison.Ordinal)), "a line per progress report");

        options.Model = options.Model with { Seed = 5 };
        using var given = new MLContext(seed: 9).Transforms.IINR.FitImage(image, options);
        CollectionAssert.AreEqual(given.Image.Data, fromContext.Image.Data, "the same seed, given or from the context");
        options.Model = options.Model with { Seed = 9 };
        using var other = new MLContext(seed: 9).Transforms.IINR.FitImage(image, options);
        CollectionAssert.AreNotEqual(other.Image.Data, fromContext.Image.Data);
    }

    [TestMethod]
    public void CancellingTheContextStopsFitting()
    {
        var ml = new MLContext();
        // MLContext.CancelExecution is ML.NET's own (internal) cancellation, the one its trainers honour.
        typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(ml, null);
        Assert.Throws<OperationCanceledException>(() => ml.Transforms.IINR.FitImage(TestScene.Render(8, 8), Tiny(IINROptions.ForFitting())));
    }
}
