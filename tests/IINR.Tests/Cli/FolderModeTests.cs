using System.Text.Json;
using IINR.Cli.Batch;
using IINR.Signals;
using SkiaSharp;

namespace IINR.Tests.Cli;

/// <summary>
/// Folder mode of <c>iinr superres</c> and <c>iinr denoise</c>: PNG/JPEG/BMP in, PNG out, the summary, resuming,
/// --jobs and shards (in this process and as concurrent processes), a killed run, bad input. Tiny images and networks.
/// </summary>
[TestClass]
public sealed class FolderModeTests
{
    private static readonly string[] TinySr = ["--scale", "2", .. CliHarness.Tiny];

    // n low-resolution inputs (16×16 crops of the test scene, area-downscaled from 32×32 references) in png, jpg and bmp.
    private static void WriteInputs(CliHarness cli, int n, string input = "in", string? reference = null)
    {
        Directory.CreateDirectory(cli.PathOf(input));
        if (reference is not null) Directory.CreateDirectory(cli.PathOf(reference));
        var scene = TestScene.Render(96, 96);
        for (int i = 0; i < n; i++)
        {
            var high = Resampling.Crop(scene, 7 * i % 64, 11 * i % 64, 32, 32);
            var low = Resampling.DownscaleArea(high, 2);
            string stem = $"img{i}";
            switch (i % 3)
            {
                case 0: ImageFile.SavePng(low, Path.Combine(cli.PathOf(input), stem + ".png")); break;
                case 1: WriteJpeg(low, Path.Combine(cli.PathOf(input), stem + ".jpg")); break;
                default: WriteBmp(low, Path.Combine(cli.PathOf(input), stem + ".bmp")); break;
            }
            if (reference is not null) ImageFile.SavePng(high, Path.Combine(cli.PathOf(reference), stem + ".png"));
        }
    }

    private static void WriteJpeg(SignalImage image, string path)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var skImage = SKImage.FromPixelCopy(info, ImageFile.ToRgba32(image));
        using var data = skImage.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    // A 24-bit bottom-up BMP (SkiaSharp encodes no BMP).
    private static void WriteBmp(SignalImage image, string path)
    {
        int stride = (image.Width * 3 + 3) & ~3, size = 54 + stride * image.Height;
        var bytes = new byte[size];
        "BM"u8.CopyTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(2), size);
        BitConverter.TryWriteBytes(bytes.AsSpan(10), 54);
        BitConverter.TryWriteBytes(bytes.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bytes.AsSpan(18), image.Width);
        BitConverter.TryWriteBytes(bytes.AsSpan(22), image.Height);
        BitConverter.TryWriteBytes(bytes.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (short)24);
        var rgba = ImageFile.ToRgba32(image);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                for (int c = 0; c < 3; c++)
                    bytes[54 + (image.Height - 1 - y) * stride + 3 * x + c] = rgba[4 * (y * image.Width + x) + 2 - c];
        File.WriteAllBytes(path, bytes);
    }

    private static Dictionary<string, byte[]> Pngs(string folder) =>
        Directory.GetFiles(folder, "*.png").ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);

    private static void AssertSameFiles(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual, string what)
    {
        CollectionAssert.AreEquivalent(expected.Keys.ToArray(), actual.Keys.ToArray(), what);
        foreach (var (name, bytes) in expected)
            CollectionAssert.AreEqual(bytes, actual[name], $"{what}: {name}");
    }

    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines[1..].Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    [TestMethod]
    public void SuperResolvesEveryImageOfAFolderAndWritesASummary()
    {
        using var cli = new CliHarness();
        WriteInputs(cli, 3, reference: "ref");
        var run = cli.Run(["superres", "--input", cli.PathOf("in"), "--output", cli.PathOf("out"), "--reference", cli.PathOf("ref"), "--jobs", "2", .. TinySr]).Succeeded();

        foreach (var name in new[] { "img0.png", "img1.png", "img2.png" })
            Assert.AreEqual("32×32×3", ImageFile.Load(Path.Combine(cli.PathOf("out"), name)).Shape, name);
        StringAssert.Contains(run.Out, "superres 3/3: ");
        StringAssert.Contains(run.Out, "3 images (3 done, 0 existing, 0 failed)");

        var rows = ReadCsv(cli.PathOf("out/iinr-summary.csv"));
        CollectionAssert.AreEqual(new[] { "img0.png", "img1.jpg", "img2.bmp" }, rows.Select(r => r["name"]).ToArray());
        foreach (var row in rows)
        {
            Assert.AreEqual("done", row["status"]);
            Assert.AreEqual(("16", "16", "32", "32"), (row["width"], row["height"], row["outputWidth"], row["outputHeight"]));
            Assert.IsTrue(double.Parse(row["psnr"]) > 5 && double.Parse(row["baselinePsnr"]) > 5, string.Join(",", row));
            Assert.AreEqual(Path.GetFileNameWithoutExtension(row["name"]) + ".png", row["reference"]);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(cli.PathOf("out/iinr-summary.json")));
        var root = json.RootElement;
        Assert.AreEqual(3, root.GetProperty("done").GetInt32());
        Assert.AreEqual(2, root.GetProperty("jobs").GetInt32());
        Assert.AreEqual(1, root.GetProperty("threadsPerFit").GetInt32());
        Assert.AreEqual("bicubic", root.GetProperty("baseline").GetString());
        Assert.IsTrue(root.GetProperty("imagesPerMinute").GetDouble() > 0);
        Assert.IsTrue(root.GetProperty("shares").GetProperty("train").GetDouble() > 0);
        Assert.AreEqual(3, root.GetProperty("rows").GetArrayLength());
    }

    [TestMethod]
    public void JobsShardsAndResumingWriteTheSameBytes()
    {
        using var cli = new CliHarness();
        WriteInputs(cli, 4);
        string[] Args(string output, params string[] more) => ["superres", "--input", cli.PathOf("in"), "--output", cli.PathOf(output), "-q", .. more, .. TinySr];
        cli.Run(Args("one", "--jobs", "1")).Succeeded();
        var expected = Pngs(cli.PathOf("one"));
        Assert.HasCount(4, expected);

        cli.Run(Args("two", "--jobs", "2")).Succeeded();
        AssertSameFiles(expected, Pngs(cli.PathOf("two")), "--jobs 2");

        cli.Run(Args("sharded", "--shard", "1/2")).Succeeded();
        cli.Run(Args("sharded", "--shard", "0/2", "--jobs", "2")).Succeeded();
        AssertSameFiles(expected, Pngs(cli.PathOf("sharded")), "two shards");
        var shardRows = new[] { 0, 1 }.SelectMany(k => ReadCsv(cli.PathOf($"sharded/iinr-summary-{k}-of-2.csv"))).Select(r => r["name"]).ToList();
        CollectionAssert.AreEquivalent(new[] { "img0.png", "img1.jpg", "img2.bmp", "img3.png" }, shardRows, "each image in exactly one shard");

        // Resume: a missing and a damaged output are fitted again, the others are kept.
        File.Delete(cli.PathOf("one/img1.png"));
        File.WriteAllBytes(cli.PathOf("one/img2.png"), expected["img2.png"][..40]);
        var rerun = cli.Run(Args("one", "--summary", cli.PathOf("resumed"))).Succeeded();
        AssertSameFiles(expected, Pngs(cli.PathOf("one")), "resumed");
        var statuses = ReadCsv(cli.PathOf("resumed.csv")).ToDictionary(r => r["name"], r => r["status"]);
        CollectionAssert.AreEquivalent(new Dictionary<string, string> { ["img0.png"] = "existing", ["img1.jpg"] = "done", ["img2.bmp"] = "done", ["img3.png"] = "existing" }, statuses);
        Assert.AreEqual("", rerun.Out, "quiet");
    }

    [TestMethod]
    public void TwoShardProcessesOverOneFolderWriteTheFilesOfOneRun()
    {
        using var cli = new CliHarness();
        WriteInputs(cli, 6);
        cli.Run(["superres", "--input", cli.PathOf("in"), "--output", cli.PathOf("one"), "-q", .. TinySr]).Succeeded();
        string[] args = ["superres", "--input", cli.PathOf("in"), "--output", cli.PathOf("shared"), "-q", .. TinySr];

        // Shard 0 as a Kubernetes Indexed Job pod, shard 1 as a Slurm array task, at the same time.
        using var kubernetes = ChildProcess.Start("iinr.dll", new Dictionary<string, string> { [Shard.KubernetesIndex] = "0" }, [.. args, "--shard-count", "2"]);
        using var slurm = ChildProcess.Start("iinr.dll",
            new Dictionary<string, string> { [Shard.SlurmTaskId] = "1", [Shard.SlurmTaskCount] = "2", [Shard.SlurmTaskMin] = "0" }, args);
        foreach (var (process, what) in new[] { (kubernetes, "shard 0"), (slurm, "shard 1") })
        {
            var (code, stdout, stderr) = ChildProcess.Finish(process, what);
            Assert.AreEqual(0, code, $"{what}: {stderr}\n{stdout}");
        }
        AssertSameFiles(Pngs(cli.PathOf("one")), Pngs(cli.PathOf("shared")), "two concurrent shard processes");
        foreach (int k in new[] { 0, 1 })
            Assert.IsNotEmpty(ReadCsv(cli.PathOf($"shared/iinr-summary-{k}-of-2.csv")), $"shard {k} had images");
    }

    [TestMethod]
    public void AKilledRunLeavesNoDamagedOutputAndARerunCompletesTheSet()
    {
        using var cli = new CliHarness();
        WriteInputs(cli, 8);
        string[] slow = ["--scale", "2", "--iterations", "150", "--hidden-layers", "1", "--hidden-size", "32", "--threads", "1", "--device", "cpu"];
        string[] Args(string output) => ["superres", "--input", cli.PathOf("in"), "--output", cli.PathOf(output), "-q", .. slow];
        cli.Run(Args("one")).Succeeded();
        var expected = Pngs(cli.PathOf("one"));

        using (var process = ChildProcess.Start("iinr.dll", Args("killed")))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)
                && !(Directory.Exists(cli.PathOf("killed")) && Directory.GetFiles(cli.PathOf("killed"), "*.png").Length > 0))
                Thread.Sleep(20);
            process.Kill(entireProcessTree: true); // SIGKILL
            process.WaitForExit();
        }
        var survivors = Pngs(cli.PathOf("killed"));
        foreach (var (name, bytes) in survivors)
            CollectionAssert.AreEqual(expected[name], bytes, $"{name}: an output is complete or absent");

        var rerun = cli.Run(Args("killed")).Succeeded();
        AssertSameFiles(expected, Pngs(cli.PathOf("killed")), "after the rerun");
        Assert.IsEmpty(Directory.GetFiles(cli.PathOf("killed"), AtomicFile.TemporaryPrefix + "*"), "no temporary files left");
        Assert.AreEqual(survivors.Count, ReadCsv(cli.PathOf("killed/iinr-summary.csv")).Count(r => r["status"] == "existing"));
    }

    [TestMethod]
    public void DenoisesAFolderAgainstCleanReferences()
    {
        using var cli = new CliHarness();
        Directory.CreateDirectory(cli.PathOf("noisy"));
        Directory.CreateDirectory(cli.PathOf("clean"));
        for (int i = 0; i < 2; i++)
        {
            var clean = Resampling.Crop(TestScene.Render(64, 64), 9 * i, 5 * i, 20, 20);
            ImageFile.SavePng(clean, cli.PathOf($"clean/n{i}.png"));
            ImageFile.SavePng(NoiseSimulator.AddPhotonNoise(clean, 30, 2, seed: (ulong)i, clip: true), cli.PathOf($"noisy/n{i}.png"));
        }
        cli.RunTiny("denoise", "--input", cli.PathOf("noisy"), "--output", cli.PathOf("out"), "--reference", cli.PathOf("clean")).Succeeded();
        var rows = ReadCsv(cli.PathOf("out/iinr-summary.csv"));
        Assert.HasCount(2, rows);
        Assert.IsTrue(rows.All(r => r["status"] == "done" && r["outputWidth"] == "20" && int.Parse(r["steps"]) is >= 1 and <= 8 && r["baselinePsnr"] != ""));
        using var json = JsonDocument.Parse(File.ReadAllText(cli.PathOf("out/iinr-summary.json")));
        Assert.AreEqual("noisy input", json.RootElement.GetProperty("baseline").GetString());
    }

    [TestMethod]
    public void BadFoldersAndFilesGiveOneLineErrors()
    {
        using var cli = new CliHarness();
        WriteInputs(cli, 2);
        string input = cli.PathOf("in");
        cli.RunTiny("superres", "--input", input, "--output", input).FailedWithOneLine(2);
        cli.RunTiny("superres", "--input", input, "--output", cli.PathOf("out"), "--bicubic", cli.PathOf("b.png")).FailedWithOneLine(2);
        cli.RunTiny("superres", "--input", input, "--output", cli.PathOf("out.png")).FailedWithOneLine(2);
        cli.RunTiny("superres", "--input", input, "--output", cli.PathOf("out"), "--shard", "2/2").FailedWithOneLine(2);
        cli.RunTiny("superres", "--input", input, "--output", cli.PathOf("out"), "--shard-count", "2").FailedWithOneLine(2);
        cli.RunTiny("denoise", "--input", input, "--output", cli.PathOf("out"), "--reference", cli.PathOf("in/img0.png")).FailedWithOneLine(2);
        Directory.CreateDirectory(cli.PathOf("empty"));
        cli.RunTiny("denoise", "--input", cli.PathOf("empty"), "--output", cli.PathOf("out")).FailedWithOneLine(2);
        File.Copy(cli.PathOf("in/img0.png"), cli.PathOf("in/img1.png"));
        var clash = cli.RunTiny("superres", "--input", input, "--output", cli.PathOf("out")).FailedWithOneLine(2);
        StringAssert.Contains(clash.Error, "'img1.jpg' and 'img1.png'");
        File.Delete(cli.PathOf("in/img1.png"));

        // A damaged image fails alone: the others are written, the summary says why, the exit code is 1.
        File.WriteAllBytes(cli.PathOf("in/broken.png"), [137, 80, 78, 71, 13, 10, 26, 10, 0, 0]);
        var run = cli.Run(["superres", "--input", input, "--output", cli.PathOf("out"), "-q", .. TinySr]).FailedWithOneLine(1);
        StringAssert.Contains(run.Error, "1 of 3 images failed (first: broken.png");
        Assert.HasCount(2, Directory.GetFiles(cli.PathOf("out"), "*.png"));
        var broken = ReadCsv(cli.PathOf("out/iinr-summary.csv")).Single(r => r["name"] == "broken.png");
        Assert.AreEqual("failed", broken["status"]);
        StringAssert.Contains(broken["note"], "broken.png");
    }

    [TestMethod]
    public void ShardsComeFromTheFlagKubernetesOrSlurm()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;
        Assert.AreEqual(Shard.All, Shard.Resolve(null, null, Env()));
        Assert.AreEqual(new Shard(2, 5), Shard.Resolve("2/5", null, Env((Shard.KubernetesIndex, "0"))), "the flag wins");
        Assert.AreEqual(new Shard(3, 4), Shard.Resolve(null, 4, Env((Shard.KubernetesIndex, "3"))));
        Assert.AreEqual(new Shard(1, 4), Shard.Resolve(null, null, Env((Shard.SlurmTaskId, "1"), (Shard.SlurmTaskCount, "4"))));
        Assert.AreEqual(new Shard(2, 3), Shard.Resolve(null, null,
            Env((Shard.SlurmTaskId, "9"), (Shard.SlurmTaskCount, "3"), (Shard.SlurmTaskMin, "5"), (Shard.SlurmTaskStep, "2"))), "--array=5-9:2");
        foreach (var (flag, count, env) in new (string?, int?, Func<string, string?>)[]
        {
            ("1/1", null, Env()), ("a/2", null, Env()), ("0/2", 3, Env()), (null, 2, Env()),
            (null, null, Env((Shard.KubernetesIndex, "0"))), (null, 2, Env((Shard.KubernetesIndex, "2"))),
            (null, null, Env((Shard.SlurmTaskId, "1"))), (null, null, Env((Shard.SlurmTaskId, "2"), (Shard.SlurmTaskCount, "2"))),
        })
            Assert.ThrowsExactly<IINR.Cli.UsageException>(() => Shard.Resolve(flag, count, env), $"{flag} {count}");

        // Every name belongs to exactly one shard, whatever the order of the names.
        var names = Enumerable.Range(0, 200).Select(i => $"photo-{i:D4}.jpg").ToList();
        var shards = Enumerable.Range(0, 3).Select(k => new Shard(k, 3)).ToList();
        Assert.IsTrue(names.All(n => shards.Count(s => s.Owns(n)) == 1));
        Assert.IsTrue(shards.All(s => names.Count(s.Owns) is > 40 and < 90), "roughly balanced");
    }
}
