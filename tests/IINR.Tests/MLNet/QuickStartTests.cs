using IINR.Signals;

namespace IINR.Tests.MLNet;

/// <summary>The examples/QuickStart flow, on tiny data.</summary>
[TestClass]
public sealed class QuickStartTests
{
    [TestMethod]
    public void QuickStartRunsEndToEnd()
    {
        var dir = Directory.CreateTempSubdirectory("iinr-quickstart-").FullName;
        try
        {
            var (metrics, identical) = QuickStart.Program.Run(size: 16, iterations: 60, outputDirectory: dir, hiddenSize: 32);
            Assert.IsTrue(identical, "the reloaded model renders identically");
            Assert.IsGreaterThan(10.0, metrics.Psnr);
            Assert.IsNotNull(metrics.Ssim);
            var render = ImageFile.Load(Path.Combine(dir, "scene-4x.png"));
            Assert.AreEqual((64, 64, 3), (render.Width, render.Height, render.Channels));
            Assert.IsTrue(File.Exists(Path.Combine(dir, "scene-model.zip")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
