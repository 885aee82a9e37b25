using System.IO.Compression;
using IINR.Cli;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class ModelFileTests
{
    static readonly InrOptions Small = new() { Device = ComputeDevice.Cpu, Threads = 1, HiddenLayers = 1, HiddenSize = 16, Iterations = 5 };

    static IINRImageResult Fit(SignalImage image, InrOptions model) => new MLContext().Transforms.IINR.FitImage(image, new IINROptions { Model = model });

    [TestMethod]
    public void RoundTripKeepsPredictionsFrameAndSteps()
    {
        using var h = new CliHarness();
        var image = TestScene.Render(12, 8);
        using var fit = Fit(image, Small with { Steps = 3 });
        using (var fourSteps = fit.Model.WithSteps(4))
            ModelFile.Save(fourSteps, h.PathOf("m.zip"));
        using var loaded = ModelFile.Load(h.PathOf("m.zip"));
        Assert.AreEqual(ImageFrame.Of(image), loaded.Image);
        Assert.AreEqual(4, loaded.Steps);
        Assert.AreEqual(3, loaded.ModelOptions.Steps);
        var grid = ImageFrame.Of(image).Coordinates(24, 16);
        using var withFour = fit.Model.WithSteps(4);
        CollectionAssert.AreEqual(withFour.Predict(grid), loaded.Predict(grid));
        // Saving leaves the caller's model as it was.
        CollectionAssert.AreEqual(fit.Image.Data, fit.Model.RenderSignalImage(12, 8).Data);
    }

    [TestMethod]
    public void ModelFileIsAPlainMLNetModelZip()
    {
        using var h = new CliHarness();
        var image = TestScene.Render(10, 10);
        using var fit = Fit(image, Small);
        ModelFile.Save(fit.Model, h.PathOf("m.zip"));

        // Any ML.NET application opens it with the stock API and scores LoadFromImage's view of the image.
        var ml = new Microsoft.ML.MLContext();
        var model = ml.Model.Load(h.PathOf("m.zip"), out var schema);
        try
        {
            Assert.IsNotNull(schema.GetColumnOrNull("Coordinates"));
            var scored = model.Transform(ml.Data.LoadFromImage(image));
            var rows = ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).ToArray();
            Assert.AreEqual(100, rows.Length);
            var expected = fit.Model.Predict(ImageFrame.Of(image).Coordinates(10, 10));
            CollectionAssert.AreEqual(expected, rows.SelectMany(r => r.Reconstruction).ToArray());
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    sealed class Scored
    {
        public float[] Reconstruction { get; set; } = [];
    }

    [TestMethod]
    public void DamagedFilesFailWithInvalidData()
    {
        using var h = new CliHarness();
        using var fit = Fit(TestScene.Render(8, 8), Small);
        ModelFile.Save(fit.Model, h.PathOf("m.zip"));
        var bytes = File.ReadAllBytes(h.PathOf("m.zip"));
        File.WriteAllBytes(h.PathOf("cut.zip"), bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ModelFile.Load(h.PathOf("cut.zip")));
        StringAssert.Contains(e.Message, "cut.zip");

        // A zip whose checkpoint is damaged: the checkpoint's own checksum catches it.
        using (var src = ZipFile.OpenRead(h.PathOf("m.zip")))
        using (var dst = ZipFile.Open(h.PathOf("bad.zip"), ZipArchiveMode.Create))
        {
            foreach (var entry in src.Entries)
            {
                using var ms = new MemoryStream();
                using (var s = entry.Open()) s.CopyTo(ms);
                var data = ms.ToArray();
                if (entry.FullName.EndsWith(".bin", StringComparison.Ordinal)) data[data.Length / 2] ^= 0xFF;
                using var o = dst.CreateEntry(entry.FullName).Open();
                o.Write(data);
            }
        }
        e = Assert.ThrowsExactly<InvalidDataException>(() => ModelFile.Load(h.PathOf("bad.zip")));
        StringAssert.Contains(e.Message, "bad.zip");
    }
}
