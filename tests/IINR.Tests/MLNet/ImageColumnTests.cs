using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>
/// The image-column steps (SuperResolveImages, DenoiseImages): the issue's pipeline as written, the same pixels for
/// the same image whatever the concurrency, row order, engine or process, schema errors before the first row,
/// progress, log and cancellation. Tiny images, tiny networks, one libtorch thread per fit.
/// </summary>
[TestClass]
public sealed class ImageColumnTests
{
    private string _dir = null!;

    [TestInitialize]
    public void CreateTempDir()
    {
        _dir = Directory.CreateTempSubdirectory("iinr-imagecolumns-").FullName;
        MLImageConversions.RegisterVariableSizeImageType(); // ImageRow's plain MLImage property
    }

    [TestCleanup]
    public void DeleteTempDir() => Directory.Delete(_dir, recursive: true);

    private static IINROptions Tiny(IINROptions preset, int iterations = 8)
    {
        preset.Model = preset.Model with { HiddenLayers = 1, HiddenSize = 16, Iterations = iterations, Threads = 1, Device = ComputeDevice.Cpu, Seed = 3 };
        return preset;
    }

    // Distinct small images: crops of the test scene, with 8-bit values (as an MLImage holds them).
    private static SignalImage Crop(int i, int size = 12) => Resampling.Crop(TestScene.Render(48, 48), 3 * i, 5 * i, size, size).ToMLImage().ToSignalImage();

    private static IDataView Rows(MLContext ml, params SignalImage?[] images) =>
        ml.Data.LoadFromEnumerable(images.Select(i => new ImageRow { Image = i?.ToMLImage() }).ToList());

    // Each output image's size and the SHA-256 of its pixels, in row order (null for a missing image).
    private static List<string?> Read(IDataView view, string column)
    {
        var hashes = new List<string?>();
        foreach (var image in view.GetColumn<MLImage>(column))
            hashes.Add(Describe(image));
        return hashes;
    }

    private static string? Describe(MLImage? image) =>
        image is null ? null : $"{image.Width}x{image.Height} {Convert.ToHexString(SHA256.HashData(image.Pixels))}";

    [TestMethod]
    public void TheIssuesPipelineRunsAsWrittenAndReloadsInAFreshProcess()
    {
        // Two 4×4 images in a folder, and the snippet of the issue with the task preset (300 iterations, 3×256).
        for (int i = 0; i < 2; i++) ImageFile.SavePng(Crop(i, 4), Path.Combine(_dir, $"img{i}.png"));
        string imageFolder = _dir;
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(new[] { new PathRow { Path = "img0.png" }, new PathRow { Path = "img1.png" } });

        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, "Path")
            .Append(mlContext.Transforms.IINR.SuperResolveImages(outputColumnName: "HighRes", inputColumnName: "Image", scale: 4))
            .Append(mlContext.Transforms.ResizeImages("Small", 224, 224, "HighRes"));
        var model = pipeline.Fit(data);                       // validates the schema; fits nothing yet
        var highRes = model.Transform(data).GetColumn<MLImage>("HighRes");
        mlContext.Model.Save(model, data.Schema, Path.Combine(_dir, "sr.zip"));   // and mlContext.Model.Load

        var expected = highRes.Select(Describe).ToList();
        Assert.HasCount(2, expected);
        Assert.IsTrue(expected.All(e => e!.StartsWith("16x16 ", StringComparison.Ordinal)), string.Join("; ", expected));
        Assert.AreNotEqual(expected[0], expected[1]);
        Assert.IsTrue(model.Transform(data).GetColumn<MLImage>("Small").All(s => s.Width == 224 && s.Height == 224));

        var paths = Path.Combine(_dir, "paths.txt");
        File.WriteAllLines(paths, ["img1.png", "img0.png"]); // another order: rows do not depend on their position
        var (exitCode, stdout, stderr) = ChildProcess.Run("IINR.FreshLoad.dll", Path.Combine(_dir, "sr.zip"), paths, "HighRes", "--images");
        Assert.AreEqual(0, exitCode, $"IINR.FreshLoad failed.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual("iinr-loaded-before-load False", lines[0]);
        CollectionAssert.AreEqual(new[] { expected[1], expected[0] }, lines[2..]);
    }

    [TestMethod]
    public void ARowsPixelsDependOnItsImageOnly()
    {
        var ml = new MLContext(seed: 0);
        var images = new[] { Crop(0), Crop(1), Crop(2) };
        var options = Tiny(IINROptions.ForSuperResolution());
        IINRImageTransformer Step(int fits) => ml.Transforms.IINR.SuperResolveImages("HighRes", "Image", 2, options, new IINRImageExecution { ConcurrentFits = fits })
            .Fit(Rows(ml, images));

        // One fit at a time, in order, with a missing image and a repeated one.
        var sequential = Read(Step(1).Transform(Rows(ml, images[0], images[1], null, images[2], images[0])), "HighRes");
        Assert.IsNull(sequential[2]);
        Assert.AreEqual(sequential[0], sequential[4], "the same image in another row");
        Assert.AreEqual(3, sequential.Distinct().Count(s => s is not null));
        Assert.IsTrue(sequential[0]!.StartsWith("24x24 ", StringComparison.Ordinal));

        // Two at a time, in reverse order.
        var concurrent = Read(Step(2).Transform(Rows(ml, images[2], images[1], images[0])), "HighRes");
        CollectionAssert.AreEqual(new[] { sequential[3], sequential[1], sequential[0] }, concurrent);

        // PredictionEngine: one image in, one out.
        var engine = ml.Model.CreatePredictionEngine<ImageRow, HighResRow>(Step(1));
        Assert.AreEqual(sequential[1], Describe(engine.Predict(new ImageRow { Image = images[1].ToMLImage() }).HighRes));

        // One path: the catalog's SuperResolve with the row's seed and the step's thread count gives the same pixels.
        var step = Step(1);
        var direct = options.Clone();
        direct.Model = step.ModelOptions with { Seed = step.Step.RowSeed(images[1]) };
        using var result = ml.Transforms.IINR.SuperResolve(images[1], 2, direct);
        Assert.AreEqual(sequential[1], Describe(result.Image.ToMLImage()));

        // Saved and loaded in a fresh context: the same pixels.
        var path = Path.Combine(_dir, "step.zip");
        ml.Model.Save(step, null, path); // ML.NET saves no schema of image columns alone ("No valid columns to save")
        var fresh = new MLContext(seed: 42);
        var loaded = fresh.Model.Load(path, out _);
        var reloaded = Assert.IsInstanceOfType<IINRImageTransformer>(loaded);
        Assert.AreEqual(step.ModelOptions, reloaded.ModelOptions);
        Assert.AreEqual(TaskPresets.SuperResolutionBackProjectionRounds, reloaded.BackProjectionRounds);
        CollectionAssert.AreEqual(new[] { sequential[1] }, Read(loaded.Transform(Rows(fresh, images[1])), "HighRes"));
    }

    [TestMethod]
    public void DenoiseImagesRunsTheDenoisingTaskPerRow()
    {
        var ml = new MLContext(seed: 5);
        var noisy = NoiseSimulator.AddPhotonNoise(Crop(1, 14), 30, 2, seed: 1, clip: true);
        var options = Tiny(IINROptions.ForDenoising(), iterations: 10);
        var step = ml.Transforms.IINR.DenoiseImages("Clean", "Image", options, automaticSteps: true, maxSteps: 3).Fit(Rows(ml, noisy));
        Assert.AreEqual(IINRImageTask.Denoising, step.Task);
        Assert.AreEqual(1.0, step.Scale);
        var output = Read(step.Transform(Rows(ml, noisy)), "Clean");
        Assert.IsTrue(output[0]!.StartsWith("14x14 ", StringComparison.Ordinal));

        var input = noisy.ToMLImage().ToSignalImage(); // what the step sees: 8-bit RGB
        var direct = options.Clone();
        direct.Model = step.ModelOptions with { Seed = step.Step.RowSeed(input) };
        using var result = ml.Transforms.IINR.Denoise(input, direct, automaticSteps: true, maxSteps: 3);
        Assert.AreEqual(output[0], Describe(result.Image.ToMLImage()));
    }

    [TestMethod]
    public void SchemaErrorsNameTheColumnBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(new[] { new MixedRow { Path = "a.png", Pixels = [1f, 2f] } });
        var shape = ShapeOf(data.Schema);
        var options = Tiny(IINROptions.ForSuperResolution());

        var text = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolveImages("Out", "Path", 2, options).GetOutputSchema(shape));
        StringAssert.Contains(text.Message, "Column 'Path' must be an image column");
        var vector = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.DenoiseImages("Out", "Pixels", Tiny(IINROptions.ForDenoising())).Fit(data));
        StringAssert.Contains(vector.Message, "Column 'Pixels'");
        StringAssert.Contains(vector.Message, "variable-size vector of Single");
        StringAssert.Contains(vector.Message, "DenoiseImages");
        var missing = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolveImages("Out", "Image", 2, options).GetOutputSchema(shape));
        StringAssert.Contains(missing.Message, "Column 'Image' not found");

        // A fixed image size whose output would exceed the cap; a fixed size that fits gives a fixed output size.
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Big", new ImageDataViewType(4096, 4096));
        builder.AddColumn("Small", new ImageDataViewType(10, 12));
        var images = builder.ToSchema();
        var big = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolveImages("Out", "Big", 4, options).GetOutputSchema(ShapeOf(images)));
        StringAssert.Contains(big.Message, "Column 'Big' holds 4096×4096 images");
        var step = ml.Transforms.IINR.SuperResolveImages("Out", "Small", 2.5, options);
        Assert.AreEqual(new ImageDataViewType(25, 30), step.GetOutputSchema(ShapeOf(images)).Single(c => c.Name == "Out").ItemType);
        Assert.AreEqual(new ImageDataViewType(10, 12), ml.Transforms.IINR.DenoiseImages("Out", "Small", Tiny(IINROptions.ForDenoising()))
            .GetOutputSchema(ShapeOf(images)).Single(c => c.Name == "Out").ItemType);

        foreach (double scale in new[] { 0.5, 0, double.NaN, 65 })
            Assert.AreEqual("scale", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.SuperResolveImages("Out", "Image", scale, options)).ParamName);
        var denoiseAtScale = Tiny(IINROptions.ForDenoising());
        denoiseAtScale.TrainingScale = 2;
        Assert.AreEqual("TrainingScale", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.DenoiseImages("Out", "Image", denoiseAtScale)).ParamName);
        var denoiseProjected = Tiny(IINROptions.ForDenoising());
        denoiseProjected.BackProjectionRounds = 5;
        Assert.AreEqual("BackProjectionRounds", Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.IINR.DenoiseImages("Out", "Image", denoiseProjected)).ParamName);
        Assert.AreEqual("ConcurrentFits", Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => ml.Transforms.IINR.DenoiseImages("Out", "Image", execution: new IINRImageExecution { ConcurrentFits = -1 })).ParamName);
    }

    [TestMethod]
    public void AStepSavedBeforeBackProjectionLoadsWithoutIt()
    {
        var step = ImageStep.Create(ContextEnvironment.Of(new MLContext(seed: 0).Transforms), IINRImageTask.SuperResolution, 4, Tiny(IINROptions.ForSuperResolution()));
        Assert.AreEqual(TaskPresets.SuperResolutionBackProjectionRounds, step.BackProjectionRounds);
        Assert.AreEqual(step, ImageStep.FromPayload(step.ToPayload()));

        // Version 1 had no BackProjectionRounds: such a step renders as it did, without back-projection.
        byte[] Version1(bool keepRounds)
        {
            var json = JsonNode.Parse(step.ToPayload().AsSpan(0, step.ToPayload().Length - 32))!.AsObject();
            json["Version"] = 1;
            if (!keepRounds) json.Remove("BackProjectionRounds");
            var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
            return [.. bytes, .. SHA256.HashData(bytes)];
        }
        Assert.AreEqual(step with { BackProjectionRounds = 0 }, ImageStep.FromPayload(Version1(keepRounds: false)));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => ImageStep.FromPayload(Version1(keepRounds: true))).Message, "version 1");
    }

    [TestMethod]
    public void ProgressLogAndCancellation()
    {
        var ml = new MLContext(seed: 0);
        var log = new ConcurrentQueue<string>();
        ml.Log += (_, e) => log.Enqueue(e.Message);
        var reports = new ConcurrentQueue<IINRImageProgress>();
        var images = new[] { Crop(0), Crop(1), Crop(2) };
        var execution = new IINRImageExecution { ConcurrentFits = 2, Progress = new SynchronousProgress<IINRImageProgress>(reports.Enqueue) };
        var step = ml.Transforms.IINR.SuperResolveImages("HighRes", "Image", 2, Tiny(IINROptions.ForSuperResolution()), execution).Fit(Rows(ml, images));
        Assert.HasCount(3, Read(step.Transform(Rows(ml, images)), "HighRes"));

        CollectionAssert.AreEquivalent(new long[] { 1, 2, 3 }, reports.Select(r => r.RowsDone).ToArray());
        CollectionAssert.AreEquivalent(new long[] { 0, 1, 2 }, reports.Select(r => r.Row).ToArray());
        Assert.IsTrue(reports.All(r => r.InputWidth == 12 && r.OutputWidth == 24 && double.IsFinite(r.ObservationPsnr) && r.Seconds > 0));
        Assert.AreEqual(3, log.Count(m => m.Contains("SuperResolveImages 'HighRes': row", StringComparison.Ordinal) && m.Contains("observation PSNR", StringComparison.Ordinal)));

        // Cancelling from the first report stops the cursor with OperationCanceledException.
        using var cancel = new CancellationTokenSource();
        var stopping = step.WithExecution(new IINRImageExecution { ConcurrentFits = 1, CancellationToken = cancel.Token, Progress = new SynchronousProgress<IINRImageProgress>(_ => cancel.Cancel()) });
        Assert.ThrowsExactly<OperationCanceledException>(() => Read(stopping.Transform(Rows(ml, images)), "HighRes"));

        // So does cancelling the MLContext, for the row-by-row mapping too.
        var cancelled = new MLContext(seed: 0);
        var loaded = cancelled.Transforms.IINR.SuperResolveImages("HighRes", "Image", 2, Tiny(IINROptions.ForSuperResolution(), iterations: 1000)).Fit(Rows(cancelled, images));
        // MLContext.CancelExecution is internal (see TaskTests).
        typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(cancelled, null);
        Assert.ThrowsExactly<OperationCanceledException>(() => Read(loaded.Transform(Rows(cancelled, images)), "HighRes"));
        var engine = cancelled.Model.CreatePredictionEngine<ImageRow, HighResRow>(loaded);
        Assert.ThrowsExactly<OperationCanceledException>(() => engine.Predict(new ImageRow { Image = images[0].ToMLImage() }));

        // Leaving a concurrent cursor early stops its fits.
        using (var cursor = step.Transform(Rows(ml, images)).GetRowCursor(step.GetOutputSchema(Rows(ml, images).Schema)))
            Assert.IsTrue(cursor.MoveNext());
    }

    [TestMethod]
    public void ProcessReturnsEveryOutcomeInOrder()
    {
        var ml = new MLContext(seed: 0);
        var step = ml.Transforms.IINR.SuperResolveImages("HighRes", "Image", 2, Tiny(IINROptions.ForSuperResolution()),
            new IINRImageExecution { ConcurrentFits = 2 }).Fit(Rows(ml, Crop(0)));
        var outcomes = step.Process(["a", "bad", "c"], name => name == "bad" ? throw new InvalidDataException("not an image") : Crop(name == "a" ? 0 : 2)).ToList();

        CollectionAssert.AreEqual(new[] { "a", "bad", "c" }, outcomes.Select(o => o.Source).ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 1, 2 }, outcomes.Select(o => o.Index).ToArray());
        Assert.IsInstanceOfType<InvalidDataException>(outcomes[1].Error);
        Assert.IsNull(outcomes[1].Output);
        foreach (var o in new[] { outcomes[0], outcomes[2] })
        {
            Assert.IsNull(o.Error);
            Assert.AreEqual("24×24×3", o.Output!.Shape);
            Assert.IsTrue(o.TrainSeconds > 0 && double.IsFinite(o.ObservationPsnr) && o.Steps == 2);
        }
        // The same image through the data view gives the same (8-bit) pixels.
        Assert.AreEqual(Read(step.Transform(Rows(ml, Crop(2))), "HighRes")[0], Describe(outcomes[2].Output!.ToMLImage()));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    public sealed class ImageRow
    {
        public MLImage? Image { get; set; }
    }

    public sealed class HighResRow
    {
        public MLImage? HighRes { get; set; }
    }

    public sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    public sealed class MixedRow
    {
        public string Path { get; set; } = "";
        public float[] Pixels { get; set; } = [];
    }
}
