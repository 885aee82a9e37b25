using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>
/// Model-zip persistence of <see cref="IINRTransformer"/> through mlContext.Model.Save/Load (the
/// glue is Internal/ModelPersistence): round trips alone and in a chain, in a fresh context and a
/// fresh process, bit-identical; damaged zips give clear errors.
/// </summary>
[TestClass]
public sealed class PersistenceTests
{
    public TestContext TestContext { get; set; } = null!;

    private string _dir = null!;

    [TestInitialize]
    public void CreateTempDir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "iinr-persistence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TestCleanup]
    public void DeleteTempDir()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [TestMethod]
    public void TransformerRoundTripsInAFreshContextBitIdentically()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromImage(Scene(16));
        using var fitted = ml.Transforms.IINR.Fit(data, Options(iterations: 10));
        using var model = fitted.WithSteps(3); // the steps are saved too
        var expected = ReadVectors(model.Transform(data), "Reconstruction");
        var expectedRender = model.RenderSignalImage(40, 40).Data;

        var path = Path.Combine(_dir, "model.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out var inputSchema);
        using var transformer = Assert.IsInstanceOfType<IINRTransformer>(loaded); // a lone transformer comes back as itself
        Assert.AreEqual(3, transformer.Steps);
        Assert.AreEqual(("Coordinates", "Signal", "Reconstruction"), (transformer.CoordinatesColumnName, transformer.SignalColumnName, transformer.OutputColumnName));
        Assert.AreEqual(model.Image, transformer.Image);
        Assert.AreEqual(model.ModelOptions, transformer.ModelOptions);
        AssertBitIdentical(expected, ReadVectors(transformer.Transform(fresh.Data.LoadFromImage(Scene(16))), "Reconstruction"));
        CollectionAssert.AreEqual(expectedRender, transformer.RenderSignalImage(40, 40).Data);
        Assert.AreEqual("Coordinates", inputSchema[0].Name);

        // What ML.NET wrote: our checkpoint entry beside Model.key, and our assembly as the loader.
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
        TestContext.WriteLine($"zip entries: {string.Join(", ", names)}; zip {new FileInfo(path).Length} bytes");
        var payload = ReadEntry(zip, "TransformerChain/" + ModelPersistence.PayloadEntryName);
        Assert.AreEqual("IINRCKPT", Encoding.ASCII.GetString(payload, 0, 8), "the payload is the core's checkpoint");
        Assert.AreEqual("Microsoft.ML.IINR", LoaderAssemblyName(ReadEntry(zip, "TransformerChain/Model.key")));
    }

    [TestMethod]
    public void ChainWithConcatenateRoundTripsAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Points());
        var pipeline = ml.Transforms.Concatenate("Coordinates", "X", "Y")
            .Append(ml.Transforms.IINR.Trainer(Options(iterations: 10)));
        using var model = pipeline.Fit(data);
        var queries = ml.Data.LoadFromEnumerable(Queries());
        var expected = ReadVectors(model.Transform(queries), "Reconstruction");

        var path = Path.Combine(_dir, "chain.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out _);
        using var chain = Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded); // loaded chains are untyped
        Assert.IsInstanceOfType<IINRTransformer>(chain.LastTransformer);
        AssertBitIdentical(expected, ReadVectors(loaded.Transform(fresh.Data.LoadFromEnumerable(Queries())), "Reconstruction"));

        // PredictionEngine goes through GetRowToRowMapper: one row per evaluation, so only the last bits may differ.
        // Its input has no Signal column: the signal is needed to fit, not to query.
        Assert.IsTrue(loaded.IsRowToRowMapper);
        using var engine = fresh.Model.CreatePredictionEngine<XY, Reconstructed>(loaded);
        var queryRows = Queries().ToArray();
        for (int i = 0; i < queryRows.Length; i++)
        {
            var predicted = engine.Predict(queryRows[i]).Reconstruction;
            for (int c = 0; c < 3; c++) Assert.AreEqual(expected[i][c], predicted[c], 1e-5f, $"row {i} channel {c}");
        }
    }

    [TestMethod]
    public void FreshProcessLoadsWithoutRegistrationBitIdentically()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Points());
        using var model = ml.Transforms.Concatenate("Coordinates", "X", "Y")
            .Append(ml.Transforms.IINR.Trainer(Options(iterations: 10)))
            .Fit(data);
        var expected = ReadVectors(model.Transform(ml.Data.LoadFromEnumerable(Queries())), "Reconstruction");
        var path = Path.Combine(_dir, "chain.zip");
        ml.Model.Save(model, data.Schema, path);
        var inputs = Path.Combine(_dir, "inputs.txt");
        File.WriteAllLines(inputs, Queries().Select(p => $"{Bits(p.X)} {Bits(p.Y)}"));

        var (exitCode, stdout, stderr) = ChildProcess.Run("IINR.FreshLoad.dll", path, inputs, "Reconstruction");
        Assert.AreEqual(0, exitCode, $"IINR.FreshLoad failed.\nstdout:\n{stdout}\nstderr:\n{stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual("iinr-loaded-before-load False", lines[0], "the helper must not load Microsoft.ML.IINR itself");
        Assert.AreEqual("iinr-loaded-after-load True", lines[1], "ML.NET loads the assembly named in the model header");
        CollectionAssert.AreEqual(expected.Select(v => string.Join(' ', v.Select(Bits))).ToArray(), lines[2..]);
    }

    [TestMethod]
    public void TruncatedZipGivesAClearError()
    {
        var path = SaveModel();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "not a readable zip archive");
    }

    [TestMethod]
    public void MissingWeightsEntryGivesAClearError()
    {
        var path = SaveModel();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            Entry(zip, "TransformerChain/" + ModelPersistence.PayloadEntryName).Delete();

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "no payload entry 'TransformerChain/IINRPayload.bin' (its weights)");
    }

    [TestMethod]
    public void TheEarlierFormatStillLoads()
    {
        // Written by the previous release (iinr fit --input builtin:testscene:8 --iterations 2 --hidden-layers 1
        // --hidden-size 8 --seed 3 --model ...): format 0x00010001, which also kept a SHA-256 of the weights in Model.key.
        string path = Path.Combine(AppContext.BaseDirectory, "MLNet", "Assets", "model-format-0x00010001.zip");
        using var loaded = (IINRTransformer)IINRModel.Load(new MLContext(), path, out _);
        Assert.AreEqual(ImageFrame.Of(8, 8, 3), loaded.Image);
        Assert.AreEqual((2, 3, 2), (loaded.CoordinateDimension, loaded.Channels, loaded.Steps));
        Assert.AreEqual(new InrOptions { HiddenLayers = 1, HiddenSize = 8, Iterations = 2, Seed = 3, Threads = 1, Device = ComputeDevice.Cpu, ProgressInterval = 1 },
            loaded.ModelOptions, "every option as saved");

        // The weights are the checkpoint stored in the zip, read as they are.
        using var zip = ZipFile.OpenRead(path);
        using var checkpoint = new MemoryStream(ReadEntry(zip, "TransformerChain/" + ModelPersistence.PayloadEntryName));
        using var model = InrModel.Load(checkpoint, ComputeDevice.Cpu);
        var grid = ImageFrame.Of(8, 8, 3).Coordinates(5, 7);
        CollectionAssert.AreEqual(model.Predict(grid, 2), loaded.Predict(grid));
    }

    [TestMethod]
    public void FutureFormatVersionGivesAClearError()
    {
        var path = SaveModel();
        // Rewrite the transformer's ML.NET model header as a future writer would: format 2.1, readable
        // only by readers of 2.1 and up. Offsets come from ML.NET's own ModelHeader struct.
        var headerType = Type.GetType("Microsoft.ML.ModelHeader, Microsoft.ML.Core", throwOnError: true)!;
        int Offset(string field) => (int)Marshal.OffsetOf(headerType, field);
        RewriteEntry(path, "TransformerChain/Model.key", bytes =>
        {
            Assert.AreEqual(IINRTransformer.Format.PackedModelSignature, BitConverter.ToUInt64(bytes, Offset("ModelSignature")));
            BitConverter.TryWriteBytes(bytes.AsSpan(Offset("ModelVerWritten")), 0x00020001u);
            BitConverter.TryWriteBytes(bytes.AsSpan(Offset("ModelVerReadable")), 0x00020001u);
        });

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "format version 0x00020001");
        StringAssert.Contains(e.Message, "Upgrade Microsoft.ML.IINR");
    }

    [TestMethod]
    public void CorruptCheckpointPayloadGivesTheCoresReason()
    {
        // The payload is the core's checkpoint, which checks itself: the one checksum of the model file.
        var path = SaveModel();
        RewriteEntry(path, "TransformerChain/" + ModelPersistence.PayloadEntryName, payload => payload[payload.Length - 100] ^= 0x40); // a weight bit

        var native = LogNativeError(path);
        // mlContext.Model.Load itself: ML.NET wraps our exception, whose message names the entry and the core's reason.
        var ours = Chain(native).OfType<FormatException>().Single();
        StringAssert.Contains(ours.Message, "'TransformerChain/IINRPayload.bin'");
        StringAssert.Contains(ours.Message, "SHA-256 checksum does not match");

        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "The weights in 'TransformerChain/IINRPayload.bin' (an IINR checkpoint) cannot be read");
        StringAssert.Contains(e.Message, "checksum");
    }

    [TestMethod]
    public void TheInternalsCheckNamesWhatMovedAndTheLoaderIsRegistered()
    {
        // The build pins Microsoft.ML, so in this process every required member is there; what the check must do is
        // notice one that is not, by name, before ML.NET fails deep inside Save or Load.
        Assert.IsNull(MLNetInternals.FindProblem(), MLNetInternals.FindProblem());
        string? problem = MLNetInternals.FindProblem(
        [
            ("Microsoft.ML.ModelSaveContext, Microsoft.ML.Core", ["CheckAtModel()", "SaveNothing(System.String)"]),
            ("Microsoft.ML.Data.IInternalCatalog, Microsoft.ML.Data", ["Environment"]),
            ("Microsoft.ML.NoSuchType, Microsoft.ML.Core", ["Anything"]),
        ]);
        Assert.IsNotNull(problem);
        StringAssert.Contains(problem, "Microsoft.ML.ModelSaveContext::SaveNothing(System.String) is missing");
        StringAssert.Contains(problem, "type Microsoft.ML.NoSuchType, Microsoft.ML.Core is missing");
        Assert.DoesNotContain("CheckAtModel", problem, "members that exist are not reported");
        Assert.DoesNotContain("Environment", problem);
        StringAssert.Contains(problem, $"Use Microsoft.ML {MLNetInternals.ExpectedVersion}");

        // The loaders are registered through [assembly: LoadableClass] on Microsoft.ML.IINR: the coordinate transformer's
        // and the image-column step's, nothing else (the probe is gone).
        var loadNames = typeof(IINRTransformer).Assembly.GetCustomAttributes()
            .Where(a => a.GetType().FullName == "Microsoft.ML.LoadableClassAttribute")
            .SelectMany(a => (string[])a.GetType().GetProperty("LoadNames")!.GetValue(a)!).ToArray();
        CollectionAssert.AreEquivalent(new[] { IINRTransformer.LoaderSignature, IINRImageTransformer.LoaderSignature }, loadNames);
    }

    // ---- helpers ----

    [TestMethod]
    public void AHostileCheckpointInAZipFailsFastNamingTheEntry()
    {
        // A valid zip whose checkpoint (with a recomputed SHA-256) claims a 64×65536 network.
        var path = SaveModel();
        RewriteEntry(path, "TransformerChain/" + ModelPersistence.PayloadEntryName, payload =>
        {
            // Same length, so the entry keeps the length Model.key records: fields at their default value make room.
            var forged = IINR.Tests.Core.HostileCheckpointTests.Forge(payload, h =>
            {
                var o = h["Options"]!.AsObject();
                o["HiddenLayers"] = 64;
                o["HiddenSize"] = 65536;
                o.Remove("MaxFullBatch");
                o.Remove("ChunkSize");
            }, headerLength: BitConverter.ToInt32(payload, 12));
            Assert.AreEqual(payload.Length, forged.Length);
            forged.CopyTo(payload, 0);
        });
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, "'TransformerChain/IINRPayload.bin'");
        StringAssert.Contains(e.Message, "64 hidden layers of 65536");
        Assert.IsLessThan(10.0, clock.Elapsed.TotalSeconds);
        Assert.IsLessThan(200L << 20, Process.GetCurrentProcess().PeakWorkingSet64 - before, "no network was built");
    }

    [TestMethod]
    public void SavingADisposedTransformerLeavesTheFileIntact()
    {
        var path = SaveModel();
        var saved = File.ReadAllBytes(path);
        var ml = new MLContext(seed: 1);
        var model = (IINRTransformer)IINRModel.Load(ml, path, out var schema);
        model.Dispose();
        Assert.Throws<Exception>(() => IINRModel.Save(ml, model, schema, path));
        CollectionAssert.AreEqual(saved, File.ReadAllBytes(path));
        CollectionAssert.AreEqual(new[] { path }, Directory.GetFiles(_dir), "no temporary file is left");
    }

    [TestMethod]
    public void AKilledSaverNeverDamagesTheSavedModel()
    {
        // A child process saves a model over target.zip in a loop; SIGKILL lands at some point of a save.
        var source = SaveModel();
        var target = Path.Combine(_dir, "target.zip");
        File.Copy(source, target);
        var start = new ProcessStartInfo(ChildProcess.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "IINR.FreshLoad.dll"), "save-loop", source, target }) start.ArgumentList.Add(arg);
        using (var child = Process.Start(start)!)
        {
            // Both pipes drained asynchronously: a child blocked on a full stderr pipe must not hang the test.
            int saves = 0;
            var stderr = new StringBuilder();
            using var fifthSave = new ManualResetEventSlim();
            child.OutputDataReceived += (_, e) => { if (e.Data == "saved" && Interlocked.Increment(ref saves) == 5) fifthSave.Set(); };
            child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            bool saved = fifthSave.Wait(TimeSpan.FromMinutes(2));
            child.Kill(entireProcessTree: true);   // SIGKILL: no handler, no finally
            child.WaitForExit();
            lock (stderr) Assert.IsTrue(saved, "the child saved 5 times: " + stderr);
        }
        // The target is a complete model, whether the kill landed before, during or after a rename: the zip's timestamps
        // differ from save to save, its model payload does not.
        using (var expectedZip = ZipFile.OpenRead(source))
        using (var targetZip = ZipFile.OpenRead(target))
            CollectionAssert.AreEqual(ReadEntry(expectedZip, "TransformerChain/" + ModelPersistence.PayloadEntryName),
                ReadEntry(targetZip, "TransformerChain/" + ModelPersistence.PayloadEntryName));
        using (var loaded = (IINRTransformer)IINRModel.Load(new MLContext(), target, out _))
            Assert.AreEqual(2, loaded.CoordinateDimension);
        // The next save to the same target removes what the killed writer left.
        using (var model = (IINRTransformer)IINRModel.Load(new MLContext(), source, out var schema))
            IINRModel.Save(new MLContext(), model, schema, target);
        CollectionAssert.AreEquivalent(new[] { source, target }, Directory.GetFiles(_dir));
    }

    private string SaveModel()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromImage(Scene(12));
        using var model = ml.Transforms.IINR.Fit(data, Options(iterations: 2, hiddenSize: 16));
        var path = Path.Combine(_dir, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        return path;
    }

    /// <summary>Records what plain mlContext.Model.Load says, for comparison; returns its exception.</summary>
    private Exception LogNativeError(string path)
    {
        var e = Assert.Throws<Exception>(() => new MLContext().Model.Load(path, out _));
        var text = new StringBuilder("mlContext.Model.Load:");
        foreach (var x in Chain(e))
            text.Append($"\n  {x.GetType().FullName}: {x.Message}");
        TestContext.WriteLine(text.ToString());
        return e;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x != null; x = x.InnerException)
            yield return x;
    }

    private static string Bits(float f) => BitConverter.SingleToInt32Bits(f).ToString("X8", CultureInfo.InvariantCulture);

    private static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.Entries.SingleOrDefault(e => e.FullName.Replace('\\', '/') == name)
        ?? throw new AssertFailedException($"zip has no entry {name}");

    private static byte[] ReadEntry(ZipArchive zip, string name) => ReadEntry(Entry(zip, name));

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void RewriteEntry(string path, string name, Action<byte[]> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = Entry(zip, name);
        var bytes = ReadEntry(entry);
        edit(bytes);
        using var stream = entry.Open();
        stream.SetLength(0);
        stream.Write(bytes);
    }

    /// <summary>The loader assembly name ML.NET stored in a Model.key header (UTF-16 at FpAssemblyName).</summary>
    private static string LoaderAssemblyName(byte[] modelKey)
    {
        var headerType = Type.GetType("Microsoft.ML.ModelHeader, Microsoft.ML.Core", throwOnError: true)!;
        long fp = BitConverter.ToInt64(modelKey, (int)Marshal.OffsetOf(headerType, "FpAssemblyName"));
        uint cb = BitConverter.ToUInt32(modelKey, (int)Marshal.OffsetOf(headerType, "CbAssemblyName"));
        return Encoding.Unicode.GetString(modelKey, (int)fp, (int)cb);
    }
}
