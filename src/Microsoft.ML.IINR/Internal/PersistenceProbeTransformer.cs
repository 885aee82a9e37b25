using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR.Internal;
using Microsoft.ML.Runtime;

// Registers the probe's loader with ML.NET's ComponentCatalog. ML.NET reads assembly-level
// LoadableClass attributes of the assembly a model header names (see ModelPersistence), so the
// attribute has to live in this assembly, next to the real transformer's.
[assembly: LoadableClass(typeof(PersistenceProbeTransformer), null, typeof(SignatureLoadModel),
    "IINR persistence probe", PersistenceProbeTransformer.LoaderSignature)]

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// TEST-ONLY. A minimal transformer that exercises the model-zip persistence glue the real IINR
/// transformer uses: it maps a <c>Vector&lt;Single&gt;</c> column to a new column by multiplying
/// it by a scale that is stored in an opaque payload (first 4 bytes; the rest is filler standing in
/// for network weights). Internal and not used by the product; it lives here rather than in the
/// test project because ML.NET only finds loaders through LoadableClass attributes on the assembly
/// named in the model header, and that must be this assembly for the proof to mean anything.
/// </summary>
internal sealed class PersistenceProbeTransformer : ITransformer
{
    /// <summary>The probe's loader signature (LoadableClass load name).</summary>
    internal const string LoaderSignature = "IINRPersistenceProbe";

    /// <summary>The probe's entry format.</summary>
    internal static readonly ModelFormat Format = new("IINR persistence probe", "IINRPROB", LoaderSignature,
        verWrittenCur: 0x00010001, verReadableCur: 0x00010001, verWeCanReadBack: 0x00010001);

    /// <summary>Creates the probe.</summary>
    /// <param name="env">The ML.NET environment.</param>
    /// <param name="inputColumnName">Input vector column.</param>
    /// <param name="outputColumnName">Output vector column.</param>
    /// <param name="payload">At least 4 bytes; the first 4 are the little-endian Single scale.</param>
    internal PersistenceProbeTransformer(IHostEnvironment env, string inputColumnName, string outputColumnName, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length < sizeof(float))
            throw new ArgumentException("The payload starts with a 4-byte scale.", nameof(payload));
        InputColumnName = inputColumnName;
        OutputColumnName = outputColumnName;
        Payload = payload;
        Scale = BitConverter.ToSingle(payload, 0);
    }

    /// <summary>Input vector column.</summary>
    internal string InputColumnName { get; }

    /// <summary>Output vector column.</summary>
    internal string OutputColumnName { get; }

    /// <summary>The opaque payload, as saved.</summary>
    internal byte[] Payload { get; }

    /// <summary>The factor applied to each element.</summary>
    internal float Scale { get; }

    /// <summary>Builds a payload holding <paramref name="scale"/> followed by <paramref name="fillerBytes"/> pseudo-random bytes.</summary>
    internal static byte[] MakePayload(float scale, int fillerBytes, int seed = 1)
    {
        var payload = new byte[sizeof(float) + fillerBytes];
        BitConverter.TryWriteBytes(payload, scale);
        new Random(seed).NextBytes(payload.AsSpan(sizeof(float)));
        return payload;
    }

    // Found by ComponentCatalog by name and signature (IHostEnvironment, ModelLoadContext); must
    // return exactly this type. Called by reflection, hence "unused".
    private static PersistenceProbeTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        var saved = ModelPersistence.Load(ctx, Format);
        if (saved.ColumnNames.Count != 2 || saved.Payload.Length < sizeof(float))
            throw new IINRModelFormatException(
                $"The {Format.DisplayName} entry '{ModelPersistence.EntryPath(ctx.Directory, "Model.key")}' is damaged: expected 2 column names and a payload of 4 bytes or more.");
        return new PersistenceProbeTransformer(env, saved.ColumnNames[0], saved.ColumnNames[1], saved.Payload);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        ModelPersistence.Save(ctx, Format, [InputColumnName, OutputColumnName], Payload);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MakeMapper(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => MakeMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, MakeMapper(input.Schema));
    }

    private VectorColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        float scale = Scale;
        return new VectorColumnMapper(inputSchema, InputColumnName, OutputColumnName, n => n, (input, output) =>
        {
            for (int i = 0; i < input.Length; i++)
                output[i] = input[i] * scale;
        });
    }
}

/// <summary>
/// TEST-ONLY. The estimator for <see cref="PersistenceProbeTransformer"/>, so the probe can be
/// appended to an estimator chain; "fitting" just checks the schema.
/// </summary>
internal sealed class PersistenceProbeEstimator(IHostEnvironment env, string inputColumnName, string outputColumnName, byte[] payload)
    : IEstimator<PersistenceProbeTransformer>
{
    /// <inheritdoc/>
    public PersistenceProbeTransformer Fit(IDataView input)
    {
        var transformer = new PersistenceProbeTransformer(env, inputColumnName, outputColumnName, payload);
        transformer.GetOutputSchema(input.Schema); // throws if the input column does not fit
        return transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        if (!inputSchema.TryFindColumn(inputColumnName, out var column))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{inputColumnName}' not found.");
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{inputColumnName}' must be a known-size vector of Single.");

        var columns = inputSchema.Where(c => c.Name != outputColumnName).ToList();
        // SchemaShape.Column's constructor is internal in ML.NET 5.0.1 (see MLNetInternals).
        columns.Add(new SchemaShape.Column(outputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
        return new SchemaShape(columns);
    }
}
