using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;

namespace IINR.Tests.Examples;

/// <summary>
/// The examples ImageFitting, SuperResolution, Denoising, Occupancy and ImagePreprocessing on tiny data (one libtorch thread,
/// fixed seeds, so the numbers are reproducible). Thresholds are measured values less a margin.
/// </summary>
[TestClass]
public sealed class ExampleTests
{
    static int s_threads;
    string _dir = "";

    [ClassInitialize]
    public static void UseOneThread(TestContext _)
    {
        s_threads = TorchRuntime.Threads;
        TorchRuntime.Threads = 1;
    }

    [ClassCleanup]
    public static void RestoreThreads() => TorchRuntime.Threads = s_threads;

    [TestInitialize]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("iinr-example-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [TestMethod]
    public void ImageFittingComparesSirenWithISiren()
    {
        var (siren, iSiren) = ImageFitting.Program.Run(size: 24, iterations: 300, outputDirectory: _dir, hiddenSize: 32);
        // Measured: SIREN 24.34 dB, I-SIREN 29.51 dB.
        Assert.IsGreaterThan(27.0, iSiren.Psnr, $"I-SIREN: {iSiren}");
        Assert.IsGreaterThan(siren.Psnr + 3.0, iSiren.Psnr, $"I-SIREN {iSiren} against SIREN {siren}");
        Assert.IsNotNull(iSiren.Ssim);
        foreach (var name in new[] { "siren.png", "i-siren.png" })
        {
            var image = ImageFile.Load(Path.Combine(_dir, name));
            Assert.AreEqual((24, 24, 3), (image.Width, image.Height, image.Channels), name);
        }
    }

    [TestMethod]
    public void SuperResolutionUpscalesFourTimes()
    {
        var (width, height, psnr, bicubicPsnr) = SuperResolution.Program.Run(size: 64, iterations: 300, outputDirectory: _dir, hiddenSize: 32);
        Assert.AreEqual((64, 64), (width, height));
        Assert.IsNotNull(psnr);
        Assert.IsNotNull(bicubicPsnr);
        // Measured: 18.66 dB, bicubic 18.78 dB (a 16×16 input is too small to beat bicubic).
        Assert.IsGreaterThan(17.5, psnr.Value, $"bicubic {bicubicPsnr:F2} dB");
        var output = ImageFile.Load(Path.Combine(_dir, "upscaled-4x.png"));
        Assert.AreEqual((64, 64), (output.Width, output.Height));
        var low = ImageFile.Load(Path.Combine(_dir, "low-resolution.png"));
        Assert.AreEqual((16, 16), (low.Width, low.Height));
        Assert.IsTrue(File.Exists(Path.Combine(_dir, "bicubic-4x.png")));
    }

    [TestMethod]
    public void DenoisingBeatsTheNoisyInput()
    {
        var (noisyPsnr, psnr) = Denoising.Program.Run(size: 32, iterations: 300, outputDirectory: _dir, hiddenSize: 32);
        // Measured: noisy 16.66 dB; 1, 2, 4 steps 19.68, 19.97, 19.98 dB.
        Assert.IsNotNull(noisyPsnr);
        CollectionAssert.AreEquivalent(new[] { 1, 2, 4 }, psnr.Keys.ToArray());
        foreach (var (steps, p) in psnr)
        {
            Assert.IsNotNull(p);
            Assert.IsGreaterThan(noisyPsnr.Value + 2.0, p.Value, $"{steps} steps against the noisy input's {noisyPsnr:F2} dB");
            Assert.IsTrue(File.Exists(Path.Combine(_dir, $"denoised-{steps}.png")));
        }
        Assert.IsTrue(File.Exists(Path.Combine(_dir, "noisy.png")));
    }

    [TestMethod]
    public void OccupancyReachesIoUOffTheGridAndExportsASurface()
    {
        var (result, surface) = Occupancy.Program.Run(resolution: 16, iterations: 100, outputDirectory: _dir, hiddenSize: 32, points: 20_000);
        using var _ = result;
        // Measured: IoU 0.901 on 20k uniform points, 0.909 on the 32³ grid, 0.903 on the 16³ grid (trained on 20k sampled points).
        Assert.IsGreaterThan(0.85, result.UniformMetrics!.IoU, result.UniformMetrics.ToString());
        Assert.IsGreaterThan(0.85, result.FineGridMetrics!.IoU, result.FineGridMetrics.ToString());
        Assert.IsGreaterThan(0.85, result.Metrics.IoU, result.Metrics.ToString());
        Assert.AreEqual(20_000L, result.UniformMetrics.Count);
        Assert.AreEqual(32L * 32 * 32, result.FineGridMetrics.Count);
        Assert.AreEqual(16L * 16 * 16, result.Metrics.Count);
        Assert.IsGreaterThan(0, surface.TriangleCount);
        Assert.IsTrue(surface.IsWatertight());
        var written = ObjFile.Read(Path.Combine(_dir, "reconstruction.obj"));
        Assert.AreEqual((surface.VertexCount, surface.TriangleCount), (written.VertexCount, written.TriangleCount));
        Assert.IsGreaterThan(0, ObjFile.Read(Path.Combine(_dir, "target.obj")).TriangleCount);
    }

    [TestMethod]
    public void ImagePreprocessingRunsThePipelineOnTheShippedPhotographs()
    {
        // The three 128×128 crops shipped with the example, downscaled to 32×32, through LoadImages → SuperResolveImages 4× →
        // ResizeImages 224×224 → ExtractPixels, one fit at a time.
        var reports = ImagePreprocessing.Program.Run(Path.Combine(AppContext.BaseDirectory, "images"), iterations: 100, outputDirectory: _dir,
            hiddenSize: 32, concurrentFits: 1);
        CollectionAssert.AreEqual(new[] { "astronaut.png", "chelsea.png", "coffee.png" }, reports.Select(r => r.Name).ToArray());
        foreach (var report in reports)
        {
            Assert.AreEqual((32, 32, 128, 128, 224 * 224 * 3), (report.InputWidth, report.InputHeight, report.OutputWidth, report.OutputHeight, report.PixelCount));
            Assert.IsGreaterThan(0.0, report.Seconds, report.ToString());
            // Far from converged (100 iterations, width 32); bicubic 24.86, 27.03, 29.10 dB.
            Assert.IsGreaterThan(15.0, report.Psnr, report.ToString());
            Assert.IsGreaterThan(23.0, report.BicubicPsnr, report.ToString());
            var written = ImageFile.Load(Path.Combine(_dir, Path.GetFileNameWithoutExtension(report.Name) + "-4x.png"));
            Assert.AreEqual((128, 128), (written.Width, written.Height));
        }
    }

    [TestMethod]
    [DataRow("ImageFitting", "missing.png")]
    [DataRow("SuperResolution", "missing.png")]
    [DataRow("Denoising", "missing.png")]
    [DataRow("Occupancy", "missing.obj")]
    [DataRow("ImagePreprocessing", "missing-folder")]
    public void AMissingInputFileGivesAOneLineError(string example, string file)
    {
        string path = Path.Combine(_dir, file);
        Func<string[], int> main = example switch
        {
            "ImageFitting" => ImageFitting.Program.Main,
            "SuperResolution" => SuperResolution.Program.Main,
            "Denoising" => Denoising.Program.Main,
            "ImagePreprocessing" => ImagePreprocessing.Program.Main,
            _ => Occupancy.Program.Main,
        };
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.AreEqual(1, main([path, "1", _dir]));
        }
        finally
        {
            Console.SetError(previous);
        }
        string message = error.ToString().TrimEnd();
        Assert.Contains(path, message);
        Assert.DoesNotContain("\n", message, message);
        Assert.AreEqual(0, Directory.GetFiles(_dir).Length, "nothing is written");
    }
}
