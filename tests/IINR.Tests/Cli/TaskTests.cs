using IINR.Cli.Tasks;
using IINR.Signals;

namespace IINR.Tests.Cli;

[TestClass]
public sealed class TaskTests
{
    [TestMethod]
    public void DenoiseHoldOutSplitPartitionsThePixels()
    {
        var image = TestScene.Render(20, 10);
        var (train, held) = DenoiseTask.Split(image, 0.05, seed: 3);
        Assert.AreEqual(10, held.CoordinateCount, "⌈5 % of 200⌉");
        Assert.AreEqual(190, train.CoordinateCount);
        var all = PixelGrid.Coordinates(20, 10);
        var seen = new HashSet<(float, float)>();
        foreach (var set in new[] { train, held })
            for (int i = 0; i < set.CoordinateCount; i++)
            {
                Assert.IsTrue(seen.Add((set.Coordinates[2 * i], set.Coordinates[2 * i + 1])), "each pixel once");
                int x = (int)Math.Round((set.Coordinates[2 * i] / (20.0 / 20) + 1) * 20 / 2 - 0.5);
                int y = (int)Math.Round((set.Coordinates[2 * i + 1] / (10.0 / 20) + 1) * 10 / 2 - 0.5);
                Assert.AreEqual(image[x, y, 0], set.Signal[3 * i], "the values travel with their pixel");
            }
        Assert.AreEqual(200, seen.Count);
        var again = DenoiseTask.Split(image, 0.05, seed: 3).HeldOut;
        CollectionAssert.AreEqual(held.Coordinates, again.Coordinates, "seeded");
        CollectionAssert.AreNotEqual(held.Coordinates, DenoiseTask.Split(image, 0.05, seed: 4).HeldOut.Coordinates);
    }

    [TestMethod]
    public void DegradeWithoutOptionsCopiesTheImage()
    {
        var image = TestScene.Render(9, 7);
        var result = DegradeTask.Run(image, new DegradeOptions());
        Assert.AreNotSame(image, result.Image);
        CollectionAssert.AreEqual(image.Data, result.Image.Data);
        Assert.AreEqual(0, result.CroppedWidth + result.CroppedHeight);
    }

    [TestMethod]
    public void TaskDefaultsFillOnlyWhatTheCallerLeftUnset()
    {
        var siren = new IINR.Trainers.InrOptions();
        Assert.AreEqual(DenoiseOptions.DefaultOmega0, DenoiseOptions.WithTaskDefaults(siren).Omega0);
        Assert.AreEqual(SuperResolutionOptions.DefaultOmega0, SuperResolutionOptions.WithTaskDefaults(siren).Omega0);
        Assert.AreEqual(7.0, DenoiseOptions.WithTaskDefaults(siren with { Omega0 = 7 }).Omega0, "an explicit ω0 is kept");
        Assert.AreEqual(7.0, SuperResolutionOptions.WithTaskDefaults(siren with { Omega0 = 7 }).Omega0, "an explicit ω0 is kept");

        var wire = DenoiseOptions.WithTaskDefaults(siren with { Backbone = IINR.Trainers.Backbones.BackboneKind.Wire });
        Assert.AreEqual(DenoiseOptions.DefaultWireOmega0, wire.Omega0);
        Assert.AreEqual(DenoiseOptions.DefaultScale, wire.Scale);
        var gauss = siren with { Backbone = IINR.Trainers.Backbones.BackboneKind.Gauss };
        Assert.IsNull(SuperResolutionOptions.WithTaskDefaults(gauss).Omega0, "super-resolution changes only SIREN and FINER");
        Assert.AreEqual(3.0, DenoiseOptions.WithTaskDefaults(gauss with { Scale = 3 }).Scale, "an explicit scale is kept");
    }
}
