using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IINR.Trainers;
using IINR.Trainers.Backbones;

namespace IINR.Tests.Core;

/// <summary>
/// Checkpoints crafted as an adversary would (a valid checksum is no authentication): each fails with a named error in
/// bounded memory and time, before any network is built (issue 14: a 19 KB zip claiming a 64×65536 network took 7.8 GB).
/// </summary>
[TestClass]
public sealed class HostileCheckpointTests
{
    static byte[] Good()
    {
        using var m = InrTrainer.Fit(TestData.ImageSet(8), TestData.Small(2));
        using var ms = new MemoryStream();
        m.Save(ms);
        return ms.ToArray();
    }

    /// <summary>The checkpoint with its header, payload length or payload replaced, and a valid SHA-256 again; the header
    /// padded with spaces to <paramref name="headerLength"/> bytes when given.</summary>
    internal static byte[] Forge(byte[] good, Action<JsonObject>? header = null, long? payloadLength = null, Func<byte[], byte[]>? payload = null,
        int? headerLength = null)
    {
        int jsonLength = BitConverter.ToInt32(good, 12);
        var json = JsonNode.Parse(good.AsSpan(16, jsonLength))!.AsObject();
        long oldLength = BitConverter.ToInt64(good, 16 + jsonLength);
        var oldPayload = good.AsSpan(16 + jsonLength + 8, (int)oldLength).ToArray();
        header?.Invoke(json);
        var newPayload = payload?.Invoke(oldPayload) ?? oldPayload;
        string text = json.ToJsonString();
        var jsonBytes = Encoding.UTF8.GetBytes(headerLength is int n ? text.PadRight(n) : text);
        var body = new MemoryStream();
        body.Write(good.AsSpan(0, 12));
        body.Write(BitConverter.GetBytes(jsonBytes.Length));
        body.Write(jsonBytes);
        body.Write(BitConverter.GetBytes(payloadLength ?? newPayload.Length));
        body.Write(newPayload);
        body.Write(SHA256.HashData(body.ToArray()));
        return body.ToArray();
    }

    static InvalidDataException Load(byte[] bytes, bool seekable = true)
    {
        Stream stream = seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes);
        return Assert.ThrowsExactly<InvalidDataException>(() => InrModel.Load(stream, ComputeDevice.Cpu));
    }

    [TestMethod]
    public void AHeaderClaimingAHugeNetworkFailsFastInBoundedMemory()
    {
        var good = Good();
        var huge = Forge(good, h =>
        {
            h["Options"]!["HiddenLayers"] = 64;
            h["Options"]!["HiddenSize"] = 65536;
        });
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        foreach (bool seekable in new[] { true, false })
        {
            var e = Load(huge, seekable);
            StringAssert.Contains(e.Message, "its options describe a network of");
            StringAssert.Contains(e.Message, "64 hidden layers of 65536");
        }
        Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds);
        Assert.IsLessThan(100L << 20, Process.GetCurrentProcess().PeakWorkingSet64 - before, "no network was built");

        // A tensor table altered to match some other network of the same size is refused too.
        var shuffled = Forge(good, h =>
        {
            var tensors = h["Tensors"]!.AsArray();
            var first = tensors[0]!["Shape"]!.AsArray();
            (first[0], first[1]) = (first[1]!.DeepClone(), first[0]!.DeepClone());
        });
        StringAssert.Contains(Load(shuffled).Message, "its options describe Float32[");
    }

    [TestMethod]
    public void AClaimedPayloadIsReadOnlyAsFarAsTheStreamGoes()
    {
        var good = Good();
        long before = Process.GetCurrentProcess().PeakWorkingSet64;
        foreach (bool seekable in new[] { true, false })
        {
            var e = Load(Forge(good, payloadLength: int.MaxValue - 4096), seekable);
            StringAssert.Contains(e.Message, "truncated");
            StringAssert.Contains(Load(Forge(good, payloadLength: long.MaxValue - 5), seekable).Message, "declares a payload of");
            StringAssert.Contains(Load(Forge(good, header: h => h["Options"] = null), seekable).Message, "lacks its options");
        }
        Assert.IsLessThan(100L << 20, Process.GetCurrentProcess().PeakWorkingSet64 - before, "nothing of the claimed 2 GB was allocated");
        var overlong = new byte[InrCheckpoint.MaxHeaderBytes + 100];
        good.AsSpan(0, 12).CopyTo(overlong);
        BitConverter.TryWriteBytes(overlong.AsSpan(12), InrCheckpoint.MaxHeaderBytes + 1);
        StringAssert.Contains(Load(overlong).Message, "its header claims");
    }

    [TestMethod]
    public void NonFiniteWeightsAreRefused()
    {
        var nan = Forge(Good(), payload: p =>
        {
            BitConverter.TryWriteBytes(p.AsSpan(8), float.NaN);
            return p;
        });
        StringAssert.Contains(Load(nan).Message, "not finite");
    }

    [TestMethod]
    public void NetworkShapeMatchesTheBuiltNetworkForEveryConfiguration()
    {
        foreach (var kind in Enum.GetValues<BackboneKind>())
        foreach (var encoding in Enum.GetValues<FourierEncoding>())
            foreach (var (iterative, feedback, fuse, embedding) in new[] { (false, true, true, TimeEmbedding.Raw), (true, true, true, TimeEmbedding.Raw),
                (true, false, true, TimeEmbedding.Fourier), (true, true, false, TimeEmbedding.Fourier) })
            {
                var o = TestData.Small(1) with
                {
                    Backbone = kind, Iterative = iterative, UseFeedbackNet = feedback, UseFuseNet = fuse, TimeEmbedding = embedding,
                    HiddenLayers = 2, HiddenSize = 9, FourierFeatureCount = 5, FourierEncoding = encoding, FourierOctaves = 3, FeedbackHiddenSize = 7, FeedbackLayers = 3, FuseHiddenSize = 6, FuseLayers = 1,
                };
                using var generator = new TorchSharp.torch.Generator(0);
                using var net = new IterativeInr(o, 3, 2, generator);
                var actual = net.named_parameters().Select(p => p.parameter as TorchSharp.torch.Tensor)
                    .Concat(net.named_buffers().Select(b => b.buffer))
                    .Select(t => $"{t.dtype}[{string.Join(",", t.shape)}]").ToList();
                var predicted = NetworkShape.Tensors(o, 3, 2).Select(t => t.ToString()).ToList();
                CollectionAssert.AreEqual(actual, predicted, $"{kind} {encoding} iterative={iterative} feedback={feedback} fuse={fuse} {embedding}");
                Assert.AreEqual(net.BackboneParameterCount, NetworkShape.BackboneParameterCount(o, 3, 2), $"{kind} {encoding}: the backbone's weights");
            }
    }

    [TestMethod]
    public void ANetworkTooLargeToSaveIsRefusedBeforeTraining()
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            InrTrainer.Fit(TestData.ImageSet(4), TestData.Small(1) with { HiddenLayers = 64, HiddenSize = 65536 }));
        Assert.AreEqual(nameof(InrOptions.HiddenSize), e.ParamName);
        StringAssert.Contains(e.Message, "at most 2 GiB");
        Assert.IsLessThan(5.0, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A stream that can only be read forward (a network stream, a pipe).</summary>
    sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
