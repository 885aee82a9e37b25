using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>Reads a network from <paramref name="stream"/> onto <paramref name="device"/>.</summary>
    public static IterativeInr Read(Stream stream, Device device)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] all;
        using (var ms = new MemoryStream()) { stream.CopyTo(ms); all = ms.ToArray(); }
        if (all.Length < Magic.Length || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new InvalidDataException("This is not an IINR checkpoint: it does not start with the bytes \"IINRCKPT\".");
        if (all.Length < 12)
            throw new InvalidDataException($"The IINR checkpoint is truncated: {all.Length} bytes, too short for a header.");
        int version = BitConverter.ToInt32(all, 8);
        if (version != FormatVersion)
            throw new InvalidDataException($"The IINR checkpoint has format version {version}; this library reads version {FormatVersion}" +
                (version > FormatVersion ? " (it was written by a newer IINR: upgrade the package)." : "."));
        if (all.Length < 12 + 4 + 8 + 32)
            throw new InvalidDataException($"The IINR checkpoint is truncated: {all.Length} bytes.");
        int jsonLength = BitConverter.ToInt32(all, 12);
        if (jsonLength < 2 || 16L + jsonLength + 8 + 32 > all.Length)
            throw new InvalidDataException($"The IINR checkpoint is truncated or corrupt: its header claims {jsonLength} bytes, the stream has {all.Length}.");
        long payload = BitConverter.ToInt64(all, 16 + jsonLength);
        long expected = 16L + jsonLength + 8 + payload + 32;
        if (payload < 0 || expected != all.Length)
            throw new InvalidDataException($"The IINR checkpoint is truncated or corrupt: expected {expected} bytes, the stream has {all.Length}.");
        var hash = SHA256.HashData(all.AsSpan(0, all.Length - 32));
        if (!hash.AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new InvalidDataException("The IINR checkpoint is corrupt: its SHA-256 checksum does not match its contents.");

        Header header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(all.AsSpan(16, jsonLength), Json)
                ?? throw new InvalidDataException("The IINR checkpoint header is empty.");
            header.Options.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"The IINR checkpoint header is not valid: {e.Message}", e);
        }

        using var generator = new Generator(0);
        var network = new IterativeInr(header.Options, header.InputDims, header.Channels, generator);
        try
        {
            var tensors = NamedTensors(network);
            if (tensors.Count != header.Tensors.Length)
                throw new InvalidDataException($"The IINR checkpoint holds {header.Tensors.Length} tensors; its options describe a network of {tensors.Count}.");
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

    static List<(string Name, Tensor Tensor)> NamedTensors(IterativeInr network)
    {
        var list = new List<(string, Tensor)>();
        foreach (var (name, p) in network.named_parameters()) list.Add((name, p));
        foreach (var (name, b) in network.named_buffers()) list.Add((name, b));
        return list;
    }
}
