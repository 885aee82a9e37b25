using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;

namespace IINR.Tests.MLNet;

/// <summary>
/// Model-zip persistence of IINR components through mlContext.Model.Save/Load, proven with the
/// test-only <see cref="PersistenceProbeTransformer"/> (which uses the same glue as the real
/// transformer: Internal/ModelPersistence).
/// </summary>
[TestClass]
public sealed class PersistenceTests
{
    private const float Scale = 2.5f;
    private const int FillerBytes = 3 << 20; // a few MB, like real weights

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
    public void ProbeRoundTripsInAFreshContext()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Vectors());
        var payload = PersistenceProbeTransformer.MakePayload(Scale, FillerBytes);
        var probe = new PersistenceProbeTransformer(ml, "Coordinates", "Scaled", payload);
        var expected = ReadVectors(probe.Transform(data), "Scaled");
        CollectionAssert.AreEqual(Vectors().Select(v => v.Coordinates[0] * Scale).ToArray(), expected.Select(v => v[0]).ToArray());

        var path = Path.Combine(_dir, "probe.zip");
        ml.Model.Save(probe, data.Schema, path);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out var inputSchema);
        var loadedProbe = (PersistenceProbeTransformer)loaded; // a lone transformer is saved as itself
        CollectionAssert.AreEqual(payload, loadedProbe.Payload);
        Assert.AreEqual("Coordinates", loadedProbe.InputColumnName);
        Assert.AreEqual("Scaled", loadedProbe.OutputColumnName);
        AssertSameVectors(expected, ReadVectors(loaded.Transform(fresh.Data.LoadFromEnumerable(Vectors())), "Scaled"));
        Assert.AreEqual("Coordinates", inputSchema[0].Name);

        // What ML.NET wrote: our payload entry beside Model.key, and our assembly as the loader.
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
        TestContext.WriteLine("zip entries: " + string.Join(", ", names));
        Assert.AreEqual(payload.Length, Entry(zip, "TransformerChain/" + ModelPersistence.PayloadEntryName).Length);
        var header = ReadEntry(zip, "TransformerChain/Model.key");
        Assert.AreEqual("Microsoft.ML.IINR", LoaderAssemblyName(header));
    }

    [TestMethod]
    public void ChainWithConcatenateRoundTripsAndPredicts()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Points());
        var pipeline = ml.Transforms.Concatenate("Coordinates", "X", "Y")
            .Append(new PersistenceProbeEstimator(ml, "Coordinates", "Scaled", PersistenceProbeTransformer.MakePayload(Scale, FillerBytes)));
        var model = pipeline.Fit(data);
        var expected = ReadVectors(model.Transform(data), "Scaled");
        CollectionAssert.AreEqual(Points().Select(p => p.Y * Scale).ToArray(), expected.Select(v => v[1]).ToArray());

        var path = Path.Combine(_dir, "chain.zip");
        ml.Model.Save(model, data.Schema, path);

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Model.Load(path, out var inputSchema);
        AssertSameVectors(expected, ReadVectors(loaded.Transform(fresh.Data.LoadFromEnumerable(Points())), "Scaled"));
        // What comes back is untyped: TransformerChain<ITransformer>, whose last element is our type.
        var chain = Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded);
        Assert.IsInstanceOfType<PersistenceProbeTransformer>(chain.LastTransformer);

        // PredictionEngine goes through ITransformer.GetRowToRowMapper of every chain element.
        Assert.IsTrue(loaded.IsRowToRowMapper);
        var engine = fresh.Model.CreatePredictionEngine<Point, ScaledPoint>(loaded, inputSchema);
        var points = Points().ToArray();
        for (int i = 0; i < points.Length; i++)
            CollectionAssert.AreEqual(expected[i], engine.Predict(points[i]).Scaled);
    }

    [TestMethod]
    public void FreshProcessLoadsWithoutRegistration()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Points());
        var model = ml.Transforms.Concatenate("Coordinates", "X", "Y")
            .Append(new PersistenceProbeEstimator(ml, "Coordinates", "Scaled", PersistenceProbeTransformer.MakePayload(Scale, FillerBytes)))
            .Fit(data);
        var expected = ReadVectors(model.Transform(data), "Scaled");
        var path = Path.Combine(_dir, "chain.zip");
        ml.Model.Save(model, data.Schema, path);
        var inputs = Path.Combine(_dir, "inputs.txt");
        File.WriteAllLines(inputs, Points().Select(p => $"{Bits(p.X)} {Bits(p.Y)}"));

        var (exitCode, stdout, stderr) = Run(DotnetHost(),
            Path.Combine(AppContext.BaseDirectory, "IINR.FreshLoad.dll"), path, inputs, "Scaled");
        Assert.AreEqual(0, exitCode, $"IINR.FreshLoad failed.\nstdout:\n{stdout}\nstderr:\n{stderr}");

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.AreEqual("iinr-loaded-before-load False", lines[0], "the helper must not load Microsoft.ML.IINR itself");
        Assert.AreEqual("iinr-loaded-after-load True", lines[1], "ML.NET loads the assembly named in the model header");
        CollectionAssert.AreEqual(expected.Select(v => string.Join(' ', v.Select(Bits))).ToArray(), lines[2..]);
    }

    [TestMethod]
    public void TruncatedZipGivesAClearError()
    {
        var path = SaveProbe();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "not a readable zip archive");
    }

    [TestMethod]
    public void MissingPayloadEntryGivesAClearError()
    {
        var path = SaveProbe();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            Entry(zip, "TransformerChain/" + ModelPersistence.PayloadEntryName).Delete();

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "no payload entry 'TransformerChain/IINRPayload.bin'");
    }

    [TestMethod]
    public void FutureFormatVersionGivesAClearError()
    {
        var path = SaveProbe();
        // Rewrite the probe's ML.NET model header as a future writer would: format 2.1, readable
        // only by readers of 2.1 and up. Offsets come from ML.NET's own ModelHeader struct.
        var headerType = Type.GetType("Microsoft.ML.ModelHeader, Microsoft.ML.Core", throwOnError: true)!;
        int Offset(string field) => (int)Marshal.OffsetOf(headerType, field);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = Entry(zip, "TransformerChain/Model.key");
            var bytes = ReadEntry(entry);
            Assert.AreEqual(PersistenceProbeTransformer.Format.PackedModelSignature, BitConverter.ToUInt64(bytes, Offset("ModelSignature")));
            BitConverter.TryWriteBytes(bytes.AsSpan(Offset("ModelVerWritten")), 0x00020001u);
            BitConverter.TryWriteBytes(bytes.AsSpan(Offset("ModelVerReadable")), 0x00020001u);
            using var stream = entry.Open();
            stream.SetLength(0);
            stream.Write(bytes);
        }

        LogNativeError(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => IINRModel.Load(new MLContext(), path, out _));
        TestContext.WriteLine("IINRModel.Load: " + e.Message);
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "format version 0x00020001");
        StringAssert.Contains(e.Message, "Upgrade Microsoft.ML.IINR");
    }

    [TestMethod]
    public void MLNetInternalsUsedAreStillThere()
    {
        // Fails, naming what moved, if Microsoft.ML is not 5.0.1 or a member we use changed.
        Assert.IsNull(MLNetInternals.FindProblem(), MLNetInternals.FindProblem());

        foreach (var name in new[] { "Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView" })
        {
            var assembly = Assembly.Load(name);
            var version = MLNetInternals.InformationalVersion(assembly);
            Assert.IsTrue(version.StartsWith(MLNetInternals.ExpectedVersion + "+", StringComparison.Ordinal),
                $"{name} is {version}; Microsoft.ML.IINR's persistence is validated for Microsoft.ML {MLNetInternals.ExpectedVersion} only.");
        }

        // The probe's loader is registered through [assembly: LoadableClass] on Microsoft.ML.IINR.
        var attribute = typeof(PersistenceProbeTransformer).Assembly.GetCustomAttributes()
            .SingleOrDefault(a => a.GetType().FullName == "Microsoft.ML.LoadableClassAttribute");
        Assert.IsNotNull(attribute, "LoadableClassAttribute on Microsoft.ML.IINR is not visible through reflection");
    }

    // ---- helpers ----

    private string SaveProbe()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Vectors());
        var path = Path.Combine(_dir, "probe.zip");
        ml.Model.Save(new PersistenceProbeTransformer(ml, "Coordinates", "Scaled", PersistenceProbeTransformer.MakePayload(Scale, 1000)), data.Schema, path);
        return path;
    }

    /// <summary>Records what plain mlContext.Model.Load says, for comparison.</summary>
    private void LogNativeError(string path)
    {
        var e = Assert.Throws<Exception>(() => new MLContext().Model.Load(path, out _));
        var text = new StringBuilder("mlContext.Model.Load:");
        for (var x = e; x != null; x = x.InnerException)
            text.Append($"\n  {x.GetType().FullName}: {x.Message}");
        TestContext.WriteLine(text.ToString());
    }

    private static IEnumerable<Point> Points() =>
        Enumerable.Range(0, 40).Select(i => new Point { X = (i - 20) * 0.37f, Y = MathF.Sin(i) * 1e3f + 1e-3f * i });

    private static IEnumerable<CoordinatesRow> Vectors() =>
        Points().Select(p => new CoordinatesRow { Coordinates = [p.X, p.Y] });

    private static List<float[]> ReadVectors(IDataView view, string columnName)
    {
        var column = view.Schema[columnName];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows;
    }

    private static void AssertSameVectors(List<float[]> expected, List<float[]> actual)
    {
        Assert.AreEqual(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}");
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

    /// <summary>The loader assembly name ML.NET stored in a Model.key header (UTF-16 at FpAssemblyName).</summary>
    private static string LoaderAssemblyName(byte[] modelKey)
    {
        var headerType = Type.GetType("Microsoft.ML.ModelHeader, Microsoft.ML.Core", throwOnError: true)!;
        long fp = BitConverter.ToInt64(modelKey, (int)Marshal.OffsetOf(headerType, "FpAssemblyName"));
        uint cb = BitConverter.ToUInt32(modelKey, (int)Marshal.OffsetOf(headerType, "CbAssemblyName"));
        return Encoding.Unicode.GetString(modelKey, (int)fp, (int)cb);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("IINR.FreshLoad did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public sealed class Point
    {
        public float X { get; set; }
        public float Y { get; set; }
    }

    public sealed class CoordinatesRow
    {
        [VectorType(2)]
        public float[] Coordinates { get; set; } = [];
    }

    public sealed class ScaledPoint
    {
        [VectorType(2)]
        public float[] Scaled { get; set; } = [];
    }
}
