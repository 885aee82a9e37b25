using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using IINR.Signals;
using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// The checkpoint stream: every hyperparameter and every weight in one self-checking stream.
/// <code>
/// "IINRCKPT"            8 bytes, magic
/// int32                 format version (1)
/// int32 + UTF-8 JSON    header: options, D, C, tensor table (name, dtype, shape) in payload order
/// int64 + bytes         payload: the tensors' raw little-endian bytes
/// 32 bytes              SHA-256 of everything above
/// </code>
/// A stream of another version, a truncated stream or a foreign stream fails with <see cref="InvalidDataException"/>.
/// </summary>
internal static class InrCheckpoint
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    static readonly byte[] Magic = "IINRCKPT"u8.ToArray();

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    sealed record TensorEntry(string Name, string DType, long[] Shape);

    sealed record Header(InrOptions Options, int InputDims, int Channels, TensorEntry[] Tensors);

    /// <summary>Writes the network to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IterativeInr network)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        var tensors = NamedTensors(network);
        var header = new Header(network.Options, network.InputDims, network.Channels,
            tensors.Select(t => new TensorEntry(t.Name, t.Tensor.dtype.ToString(), t.Tensor.shape)).ToArray());
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            w.Write(json.Length);
            w.Write(json);
            long payload = 0;
            foreach (var (_, t) in tensors) payload += t.NumberOfElements * t.ElementSize;
            w.Write(payload);
            foreach (var (_, t) in tensors)
            {
                using var cpu = t.detach().cpu().contiguous();
                w.Write(cpu.bytes);
            }
        }
        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>
    /// Reads a network from <paramref name="stream"/> onto <paramref name="device"/>. A hostile or damaged stream fails with
    /// an <see cref="InvalidDataException"/> in memory bounded by the stream's own size: the header's length is limited,
    /// the payload is read only as far as the stream goes, the checksum is verified, and the tensor table and payload size
    /// are compared with the network the options describe (<see cref="NetworkShape"/>, computed without allocating) before
    /// any network is built. Weights that are not finite are refused too.
    /// </summary>
    public static IterativeInr Read(Stream stream, Device device)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[16];
        int got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < Magic.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("This is not an IINR checkpoint: it does not start with the bytes \"IINRCKPT\".");
        if (got < 12)
            throw new InvalidDataException($"The IINR checkpoint is truncated: {got} bytes, too short for a header.");
        int version = BitConverter.ToInt32(prefix, 8);
        if (version != FormatVersion)
            throw new InvalidDataException($"The IINR checkpoint has format version {version}; this library reads version {FormatVersion}" +
                (version > FormatVersion ? " (it was written by a newer IINR: upgrade the package)." : "."));
        if (got < 16)
            throw new InvalidDataException($"The IINR checkpoint is truncated: {got} bytes.");
        int jsonLength = BitConverter.ToInt32(prefix, 12);
        if (jsonLength < 2 || jsonLength > MaxHeaderBytes)
            throw new InvalidDataException($"The IINR checkpoint is corrupt: its header claims {jsonLength} bytes (at most {MaxHeaderBytes} are valid).");

        var head = new byte[16 + jsonLength + 8];
        prefix.CopyTo(head, 0);
        got = 16 + stream.ReadAtLeast(head.AsSpan(16), head.Length - 16, throwOnEndOfStream: false);
        if (got < head.Length)
            throw new InvalidDataException($"The IINR checkpoint is truncated: {got} bytes, its header needs {head.Length}.");
        long payload = BitConverter.ToInt64(head, head.Length - 8);
        if (payload < 0 || payload > Array.MaxLength - head.Length - 32)
            throw new InvalidDataException($"The IINR checkpoint is corrupt: it declares a payload of {payload} bytes.");
        var all = ReadRest(stream, head, head.Length + payload + 32);
        var hash = SHA256.HashData(all.AsSpan(0, all.Length - 32));
        if (!hash.AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new InvalidDataException("The IINR checkpoint is corrupt: its SHA-256 checksum does not match its contents.");

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(all.AsSpan(16, jsonLength), Json)
                ?? throw new InvalidDataException("The IINR checkpoint header is empty.");
            if (header.Options is null || header.Tensors is null)
                throw new InvalidDataException("The IINR checkpoint header lacks its options or its tensor table.");
            header.Options.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The IINR checkpoint header is not valid: {e.Message}", e);
        }
        CheckTensorTable(header, payload);

        using var generator = new Generator(0);
        var network = new IterativeInr(header.Options, header.InputDims, header.Channels, generator);
        try
        {
            var tensors = NamedTensors(network);
            long offset = 16L + jsonLength + 8;
            using (no_grad())
            {
                for (int i = 0; i < tensors.Count; i++)
                {
                    var (name, t) = tensors[i];
                    var entry = header.Tensors[i];
                    if (entry.Name != name || entry.DType != t.dtype.ToString() || !entry.Shape.SequenceEqual(t.shape))
                        throw new InvalidDataException($"The IINR checkpoint's tensor {i} is {entry.Name} {entry.DType}[{string.Join(",", entry.Shape)}]; " +
                            $"the network expects {name} {t.dtype}[{string.Join(",", t.shape)}].");
                    int size = checked((int)(t.NumberOfElements * t.ElementSize));
                    t.bytes = all.AsSpan((int)offset, size);
                    offset += size;
                    if (!t.isfinite().all().item<bool>())
                        throw new InvalidDataException($"The IINR checkpoint's tensor {name} holds values that are not finite (NaN or infinite): the model is unusable.");
                }
            }
            if (device.type != DeviceType.CPU) network.to(device);
            network.eval();
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The most header bytes a checkpoint may declare (a real header is a few kilobytes).</summary>
    internal const int MaxHeaderBytes = 1 << 20;

    // The tensor table and payload size against the network the options describe, before anything is allocated.
    static void CheckTensorTable(Header header, long payload)
    {
        if (header.InputDims is < 1 or > TrainingSet.MaxDims || header.Channels is < 1 or > TrainingSet.MaxChannels)
            throw new InvalidDataException($"The IINR checkpoint is corrupt: it declares D = {header.InputDims}, C = {header.Channels} " +
                $"(D must be 1 to {TrainingSet.MaxDims}, C 1 to {TrainingSet.MaxChannels}).");
        var expected = NetworkShape.Tensors(header.Options, header.InputDims, header.Channels);
        long bytes = NetworkShape.Bytes(expected);
        if (bytes != payload)
            throw new InvalidDataException($"The IINR checkpoint is corrupt: its options describe a network of {SizeLimits.Format(bytes)} bytes of weights " +
                $"({header.Options.HiddenLayers} hidden layers of {header.Options.HiddenSize}), but it holds {SizeLimits.Format(payload)}.");
        var table = header.Tensors;
        if (table.Length != expected.Count)
            throw new InvalidDataException($"The IINR checkpoint holds {table.Length} tensors; its options describe a network of {expected.Count}.");
        for (int i = 0; i < table.Length; i++)
        {
            var entry = table[i];
            if (entry?.Shape is null || entry.DType != expected[i].DType.ToString() || !entry.Shape.SequenceEqual(expected[i].Shape))
                throw new InvalidDataException($"The IINR checkpoint's tensor {i} is {entry?.Name} {entry?.DType}[{string.Join(",", entry?.Shape ?? [])}]; " +
                    $"its options describe {expected[i]}.");
        }
    }

    // The whole checkpoint: the header already read, then the declared rest. Nothing of the declared size is allocated
    // before the stream has shown it holds that much (its length when it can seek, else the bytes actually read).
    static byte[] ReadRest(Stream stream, byte[] head, long total)
    {
        InvalidDataException Truncated(long have) => new(
            $"The IINR checkpoint is truncated or corrupt: expected {total} bytes, the stream has {(have > total ? "more" : have.ToString(CultureInfo.InvariantCulture))}.");
        if (stream.CanSeek)
        {
            long have = head.Length + stream.Length - stream.Position;
            if (have != total) throw Truncated(have);
            var all = new byte[total];
            head.CopyTo(all, 0);
            stream.ReadExactly(all, head.Length, (int)total - head.Length);
            return all;
        }
        using var buffer = new MemoryStream();
        buffer.Write(head);
        var chunk = new byte[1 << 16];
        int n;
        // One byte past the declared end shows whether anything follows.
        while (buffer.Length <= total && (n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, total + 1 - buffer.Length))) > 0)
            buffer.Write(chunk, 0, n);
        if (buffer.Length != total) throw Truncated(buffer.Length);
        return buffer.ToArray();
    }

    static List<(string Name, Tensor Tensor)> NamedTensors(IterativeInr network)
    {
        var list = new List<(string, Tensor)>();
        foreach (var (name, p) in network.named_parameters()) list.Add((name, p));
        foreach (var (name, b) in network.named_buffers()) list.Add((name, b));
        return list;
    }
}
