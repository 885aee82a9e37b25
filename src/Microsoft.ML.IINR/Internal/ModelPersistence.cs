using System.Runtime.CompilerServices;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// The identity and version of one IINR component's entry in an ML.NET model zip.
/// </summary>
/// <remarks>
/// ML.NET writes these into the entry's header (<see cref="VersionInfo"/>). At load time it reads
/// <see cref="LoaderSignature"/> and the loader assembly name from the header, loads that assembly,
/// and calls the static <c>Create(IHostEnvironment, ModelLoadContext)</c> of the class registered
/// under that signature with <c>[assembly: LoadableClass(...)]</c>.
/// Versions follow ML.NET's convention (0xMMMMmmmm): a writer at <see cref="VerWrittenCur"/> marks
/// the entry readable by readers at <see cref="VerReadableCur"/> or later, and reads entries down to
/// <see cref="VerWeCanReadBack"/>.
/// </remarks>
internal sealed class ModelFormat
{
    /// <summary>Describes a format; checks the lengths ML.NET's header can hold.</summary>
    public ModelFormat(string displayName, string modelSignature, string loaderSignature,
        uint verWrittenCur, uint verReadableCur, uint verWeCanReadBack, uint lastVersionWithPayloadHash = 0)
    {
        // ModelHeader stores the model signature in one ulong and the loader signature in three.
        if (modelSignature.Length != 8 || modelSignature.Any(c => c > 0x7F))
            throw new ArgumentException("A model signature is exactly 8 ASCII characters.", nameof(modelSignature));
        if (loaderSignature.Length is 0 or > 24 || loaderSignature.Any(c => c > 0x7F || char.IsWhiteSpace(c)))
            throw new ArgumentException("A loader signature is 1 to 24 ASCII characters without spaces.", nameof(loaderSignature));
        if (!(verWeCanReadBack <= verReadableCur && verReadableCur <= verWrittenCur))
            throw new ArgumentException("Expected verWeCanReadBack <= verReadableCur <= verWrittenCur.");

        DisplayName = displayName;
        ModelSignature = modelSignature;
        LoaderSignature = loaderSignature;
        VerWrittenCur = verWrittenCur;
        VerReadableCur = verReadableCur;
        VerWeCanReadBack = verWeCanReadBack;
        LastVersionWithPayloadHash = lastVersionWithPayloadHash;
    }

    /// <summary>Human-readable component name for messages.</summary>
    public string DisplayName { get; }

    /// <summary>8-character tag identifying the entry's content, e.g. "IINRTRNS".</summary>
    public string ModelSignature { get; }

    /// <summary>Name the loader is registered under (LoadableClass load name), at most 24 characters.</summary>
    public string LoaderSignature { get; }

    /// <summary>Format version this build writes (and the newest it reads).</summary>
    public uint VerWrittenCur { get; }

    /// <summary>Oldest reader version that can read what this build writes.</summary>
    public uint VerReadableCur { get; }

    /// <summary>Oldest format version this build still reads.</summary>
    public uint VerWeCanReadBack { get; }

    /// <summary>The last version of this format that stored a SHA-256 of the payload after its length in Model.key
    /// (skipped when read); 0 = none did.</summary>
    public uint LastVersionWithPayloadHash { get; }

    /// <summary>The model signature as ML.NET packs it (little-endian bytes, space = 0).</summary>
    public ulong PackedModelSignature =>
        ModelSignature.Select((c, i) => c == ' ' ? 0UL : (ulong)c << (8 * i)).Aggregate(0UL, (a, b) => a | b);

    /// <summary>ML.NET's header record for this format.</summary>
    internal VersionInfo ToVersionInfo() => new(ModelSignature, VerWrittenCur, VerReadableCur, VerWeCanReadBack,
        loaderAssemblyName: ModelPersistence.LoaderAssemblyName, loaderSignature: LoaderSignature);
}

/// <summary>What an IINR component stores: its column names and an opaque payload (e.g. weights).</summary>
internal sealed record PersistedComponent(IReadOnlyList<string> ColumnNames, byte[] Payload);

/// <summary>
/// Thrown when an IINR entry of a model zip is missing, damaged or of an unsupported version. The
/// message names the entry (the zip's path is unknown at this level; <see cref="IINRModel.Load"/>
/// adds it).
/// </summary>
internal sealed class IINRModelFormatException(string message) : FormatException(message);

/// <summary>
/// Saves and loads an IINR component inside an ML.NET model zip, through ML.NET's internal
/// <see cref="ModelSaveContext"/> / <see cref="ModelLoadContext"/>.
/// </summary>
/// <remarks>
/// <para>Layout, in the component's directory of the zip (e.g. <c>TransformerChain/Transform_001/</c>):</para>
/// <list type="bullet">
/// <item><c>Model.key</c>: ML.NET's header (<see cref="ModelFormat"/>), then
///   <c>int n</c>, <c>n</c> column names (ids into the header's string table),
///   <c>long payloadLength</c> (up to <see cref="ModelFormat.LastVersionWithPayloadHash"/>, IINRTransformer's 0x00010001,
///   followed by a 32-byte SHA-256 of the payload).
///   A caller may append its own fields to <c>ctx.Writer</c> after <see cref="Save"/> and read them
///   after <see cref="Load"/>.</item>
/// <item><see cref="PayloadEntryName"/>: the payload bytes, unframed.</item>
/// </list>
/// <para>The payload checks itself (the core's checkpoint ends with a SHA-256 of its contents), so this
/// layer checks only that the entry is there and has the saved length: one checksum per model file.</para>
/// </remarks>
internal static class ModelPersistence
{
    /// <summary>Name of the zip entry (next to Model.key) holding the opaque payload.</summary>
    internal const string PayloadEntryName = "IINRPayload.bin";

    /// <summary>
    /// Recorded in every header as the loader assembly. The simple name, not the full name:
    /// ML.NET passes it to <see cref="System.Reflection.Assembly.Load(string)"/>, which then binds
    /// whatever Microsoft.ML.IINR the application has; compatibility is decided by our own
    /// format versions, with a clear message, instead of a FileLoadException.
    /// </summary>
    internal static readonly string LoaderAssemblyName = typeof(ModelPersistence).Assembly.GetName().Name!;

    private const int MaxColumns = 1 << 16;

    private const int PayloadHashLength = 32;

    /// <summary>Writes the header, column names and payload of a component being saved.</summary>
    internal static void Save(ModelSaveContext ctx, ModelFormat format, IReadOnlyList<string> columnNames, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(payload);
        MLNetInternals.EnsureCompatible();
        SaveCore(ctx, format, columnNames, payload);
    }

    /// <summary>Reads back what <see cref="Save"/> wrote; throws <see cref="IINRModelFormatException"/> on damage.</summary>
    internal static PersistedComponent Load(ModelLoadContext ctx, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(format);
        MLNetInternals.EnsureCompatible();
        return LoadCore(ctx, format);
    }

    // Separate, non-inlined methods: the internal members are bound when these are compiled, which
    // happens only after EnsureCompatible has had its say.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SaveCore(ModelSaveContext ctx, ModelFormat format, IReadOnlyList<string> columnNames, byte[] payload)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(format.ToVersionInfo());

        var writer = ctx.Writer;
        writer.Write(columnNames.Count);
        foreach (var name in columnNames)
            ctx.SaveNonEmptyString(name);
        writer.Write((long)payload.Length);

        ctx.SaveBinaryStream(PayloadEntryName, w => w.Write(payload));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PersistedComponent LoadCore(ModelLoadContext ctx, ModelFormat format)
    {
        var where = KeyEntry(ctx);
        CheckHeader(ctx, format, where);
        ctx.CheckAtModel(format.ToVersionInfo());

        var reader = ctx.Reader;
        int count = reader.ReadInt32();
        if (count is < 0 or > MaxColumns)
            throw Damaged(format, where, $"it declares {count} column names");
        var columns = new string[count];
        for (int i = 0; i < count; i++)
            columns[i] = ctx.LoadNonEmptyString();
        long length = reader.ReadInt64();
        if (length < 0 || length > Array.MaxLength)
            throw Damaged(format, where, $"it declares a payload of {length} bytes");
        if (ctx.Header.ModelVerWritten <= format.LastVersionWithPayloadHash && reader.ReadBytes(PayloadHashLength).Length != PayloadHashLength)
            throw Damaged(format, where, "it ends inside the payload checksum");

        var payloadPath = EntryPath(ctx.Directory, PayloadEntryName);
        byte[]? payload = null;
        long stored = -1;
        if (!ctx.TryLoadBinaryStream(PayloadEntryName, r =>
            {
                // The declared length is allocated only when the entry holds it (a damaged or hostile key could claim 2 GB).
                stored = r.BaseStream.CanSeek ? r.BaseStream.Length : -1;
                if (stored < 0 || stored == length) payload = r.ReadBytes((int)length);
            }))
            throw new IINRModelFormatException(
                $"The {format.DisplayName} in the model zip has no payload entry '{payloadPath}' (its weights); the zip is incomplete.");
        if (payload is null || payload.Length != length)
            throw new IINRModelFormatException(
                $"The payload entry '{payloadPath}' of the {format.DisplayName} holds {(payload?.Length ?? stored)} bytes, but {length} were saved; the zip is damaged.");

        return new PersistedComponent(columns, payload);
    }

    /// <summary>
    /// Signature and version checks with our own messages. ML.NET's CheckAtModel repeats them, but
    /// its "too new" message blames the ML.NET version and swaps the two numbers.
    /// </summary>
    private static void CheckHeader(ModelLoadContext ctx, ModelFormat format, string where)
    {
        ref readonly var header = ref ctx.Header;
        if (header.ModelSignature != format.PackedModelSignature)
            throw Damaged(format, where, $"its model signature is 0x{header.ModelSignature:X16}, expected '{format.ModelSignature}'");
        if (header.ModelVerReadable > format.VerWrittenCur)
            throw new IINRModelFormatException(
                $"'{where}' holds the {format.DisplayName} in format version 0x{header.ModelVerWritten:X8}, which needs a " +
                $"Microsoft.ML.IINR that reads format 0x{header.ModelVerReadable:X8}; this one ({typeof(ModelPersistence).Assembly.GetName().Version}) " +
                $"reads formats 0x{format.VerWeCanReadBack:X8} to 0x{format.VerWrittenCur:X8}. Upgrade Microsoft.ML.IINR to load this model.");
        if (header.ModelVerWritten < format.VerWeCanReadBack)
            throw new IINRModelFormatException(
                $"'{where}' holds the {format.DisplayName} in format version 0x{header.ModelVerWritten:X8}, older than this " +
                $"Microsoft.ML.IINR still reads (0x{format.VerWeCanReadBack:X8} to 0x{format.VerWrittenCur:X8}). Re-save it with an older release.");
        if (header.ModelVerReadable > header.ModelVerWritten)
            throw Damaged(format, where, "its header's version fields are inconsistent");
    }

    /// <summary>The error for a component entry whose content is inconsistent.</summary>
    internal static IINRModelFormatException Damaged(ModelFormat format, string where, string what) =>
        new($"The {format.DisplayName} entry '{where}' in the model zip is damaged: {what}.");

    /// <summary>Zip-style path of the component's Model.key entry, for messages.</summary>
    internal static string KeyEntry(ModelLoadContext ctx) => EntryPath(ctx.Directory, "Model.key");

    /// <summary>Zip-style path of an entry in a component directory, for messages.</summary>
    internal static string EntryPath(string? directory, string name) =>
        (string.IsNullOrEmpty(directory) ? name : directory + "/" + name).Replace('\\', '/');
}
