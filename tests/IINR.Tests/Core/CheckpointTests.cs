using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace IINR.Tests.Core;

[TestClass]
public sealed class CheckpointTests
{
    static byte[] Save(InrModel m)
    {
        using var ms = new MemoryStream();
        m.Save(ms);
        return ms.ToArray();
    }

    [TestMethod]
    public void RoundTripGivesBitIdenticalPredictionsForEveryBackbone()
    {
        var data = TestData.ImageSet(8);
        var query = TestData.Grid(13, 11); // off the training grid too
        foreach (var kind in Enum.GetValues<BackboneKind>())
        {
            var o = TestData.Small(3) with { Backbone = kind, FourierFeatureCount = 16, Steps = 3, Seed = 5 };
            using var m = InrTrainer.Fit(data, o);
            var bytes = Save(m);
            using var loaded = InrModel.Load(new MemoryStream(bytes), ComputeDevice.Cpu);
            Assert.AreEqual(o, loaded.Options, kind.ToString());
            CollectionAssert.AreEqual(m.Predict(query), loaded.Predict(query), kind.ToString());
            CollectionAssert.AreEqual(m.Predict(query, 1), loaded.Predict(query, 1), kind.ToString());
            CollectionAssert.AreEqual(bytes, Save(loaded), $"{kind}: saving a loaded model gives the same bytes");
        }
    }

    [TestMethod]
    public void PredictionsAreReproducibleAcrossCallsAndChunkings()
    {
        using var m = InrTrainer.Fit(TestData.ImageSet(8), TestData.Small(3));
        var q = TestData.Grid(100, 100);
        var a = m.Predict(q);
        var b = m.Predict(q.AsSpan(0, 2 * 5000).ToArray());
        CollectionAssert.AreEqual(a.AsSpan(0, 3 * 5000).ToArray(), b, "the same coordinate always gives the same output");
    }

    [TestMethod]
    public void CorruptTruncatedForeignAndFutureStreamsFailClearly()
    {
        using var m = InrTrainer.Fit(TestData.ImageSet(8), TestData.Small(2));
        var good = Save(m);

        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x40;
        StringAssert.Contains(Load(flipped).Message, "checksum");

        StringAssert.Contains(Load(good.AsSpan(0, good.Length - 100).ToArray()).Message, "truncated");
        StringAssert.Contains(Load(good.AsSpan(0, 10).ToArray()).Message, "truncated");
        StringAssert.Contains(Load("PK\u0003\u0004 not a checkpoint"u8.ToArray()).Message, "not an IINR checkpoint");
        StringAssert.Contains(Load([]).Message, "not an IINR checkpoint");

        var future = (byte[])good.Clone();
        BitConverter.GetBytes(InrCheckpoint.FormatVersion + 1).CopyTo(future, 8);
        var e = Load(future);
        StringAssert.Contains(e.Message, $"format version {InrCheckpoint.FormatVersion + 1}");
        StringAssert.Contains(e.Message, "newer");
    }

    static InvalidDataException Load(byte[] bytes) =>
        Assert.ThrowsExactly<InvalidDataException>(() => InrModel.Load(new MemoryStream(bytes), ComputeDevice.Cpu));
}
