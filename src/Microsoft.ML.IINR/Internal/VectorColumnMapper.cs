using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Row-to-row mapping for a transformer that implements <see cref="ITransformer"/> directly:
/// keeps every input column and appends one <c>Vector&lt;Single&gt;</c> column computed from one
/// input <c>Vector&lt;Single&gt;</c> column. Used for <see cref="ITransformer.GetRowToRowMapper"/>
/// (and so PredictionEngine), one row per call of the mapping, and, through
/// <see cref="BatchedVectorDataView"/>, for <see cref="ITransformer.Transform"/>, many rows per
/// call. Only public ML.NET API is used here.
/// </summary>
/// <remarks>
/// The output schema is the input schema plus one column at index <c>InputSchema.Count</c>; if its
/// name is taken, the input column becomes hidden, as in ML.NET's own transformers. Input column
/// indices are therefore the same in both schemas.
/// </remarks>
internal sealed class VectorColumnMapper : IRowToRowMapper
{
    /// <summary>
    /// Computes the output vectors of a run of consecutive rows from their input vectors: n rows of
    /// the input length in <paramref name="inputs"/>, n rows of the output length into
    /// <paramref name="outputs"/>, both dense and row-major. <paramref name="firstRow"/> is the
    /// position of the first row in its cursor, for error messages.
    /// </summary>
    internal delegate void MapBatch(ReadOnlySpan<float> inputs, Span<float> outputs, long firstRow);

    /// <summary>Binds the mapping to <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema rows given to <see cref="GetRow"/> will have (same object).</param>
    /// <param name="source">Input column of <paramref name="inputSchema"/>, already checked to be a
    /// known-size vector of Single (<see cref="ColumnRequirements.SingleVector(DataViewSchema, string, int, int, string?)"/>).</param>
    /// <param name="inputLength">Its vector length.</param>
    /// <param name="outputColumn">Name of the appended column.</param>
    /// <param name="outputLength">Output vector length.</param>
    /// <param name="map">The computation, for one or more rows at a time.</param>
    internal VectorColumnMapper(DataViewSchema inputSchema, DataViewSchema.Column source, int inputLength,
        string outputColumn, int outputLength, MapBatch map)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Source = source;
        InputLength = inputLength;
        OutputLength = outputLength;
        Map = map;
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumn, new VectorDataViewType(NumberDataViewType.Single, outputLength));
        OutputSchema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The source column (in <see cref="InputSchema"/>).</summary>
    internal DataViewSchema.Column Source { get; }

    /// <summary>Values per input row.</summary>
    internal int InputLength { get; }

    /// <summary>Values per output row.</summary>
    internal int OutputLength { get; }

    /// <summary>The mapping, for batched evaluation.</summary>
    internal MapBatch Map { get; }

    private int OutputIndex => InputSchema.Count;

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
        {
            if (column.Index == OutputIndex) needed.Add(Source.Index);
            else if (column.Index < OutputIndex) needed.Add(column.Index);
        }
        return needed.Select(i => InputSchema[i]).ToArray();
    }

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        if (input.Schema != InputSchema)
            throw new ArgumentException("The row's schema is not the schema this mapper was created for.", nameof(input));
        return new MappedRow(this, input, activeColumns.Any(c => c.Index == OutputIndex));
    }

    /// <summary>Whether the output column is among <paramref name="columns"/>.</summary>
    internal bool NeedsOutput(IEnumerable<DataViewSchema.Column> columns) => columns.Any(c => c.Index == OutputIndex);

    /// <summary>Whether <paramref name="column"/> (of the output schema) is the appended output column.</summary>
    internal bool IsOutput(DataViewSchema.Column column) => column.Index == OutputIndex;

    /// <summary>Getter for a column of the output schema, reading from <paramref name="input"/>.</summary>
    internal ValueGetter<TValue> GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column, bool outputActive)
    {
        if (column.Index < OutputIndex)
            return input.GetGetter<TValue>(InputSchema[column.Index]);
        if (column.Index != OutputIndex || !outputActive)
            throw new InvalidOperationException($"Column '{column.Name}' is not active.");
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException($"Column '{column.Name}' is a vector of Single; cannot read it as {typeof(TValue)}.");

        var sourceGetter = input.GetGetter<VBuffer<float>>(Source);
        var source = default(VBuffer<float>);
        var dense = new float[InputLength];
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            sourceGetter(ref source);
            source.CopyTo(dense); // densifies sparse input
            var editor = VBufferEditor.Create(ref value, OutputLength);
            Map(dense, editor.Values, input.Position);
            value = editor.Commit();
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    /// <summary>Whether an output-schema column is active, given the input row.</summary>
    internal bool IsColumnActive(DataViewRow input, DataViewSchema.Column column, bool outputActive) =>
        column.Index < OutputIndex ? input.IsColumnActive(InputSchema[column.Index]) : outputActive;

    private sealed class MappedRow(VectorColumnMapper mapper, DataViewRow input, bool outputActive) : DataViewRow
    {
        public override DataViewSchema Schema => mapper.OutputSchema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => mapper.IsColumnActive(input, column, outputActive);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => mapper.GetGetter<TValue>(input, column, outputActive);

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose(); // the contract: the mapped row owns its input
            base.Dispose(disposing);
        }
    }
}
