using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Row-to-row mapping for a transformer that implements <see cref="ITransformer"/> directly:
/// keeps every input column and appends one <c>Vector&lt;Single&gt;</c> column computed from one
/// input <c>Vector&lt;Single&gt;</c> column. Used for <see cref="ITransformer.GetRowToRowMapper"/>
/// (and so PredictionEngine and TransformerChain) and, through <see cref="MappedDataView"/>, for
/// <see cref="ITransformer.Transform"/>. Only public ML.NET API is used here.
/// </summary>
/// <remarks>
/// The output schema is the input schema plus one column at index <c>InputSchema.Count</c>; if its
/// name is taken, the input column becomes hidden, as in ML.NET's own transformers. Input column
/// indices are therefore the same in both schemas.
/// </remarks>
internal sealed class VectorColumnMapper : IRowToRowMapper
{
    /// <summary>Computes one output vector from one input vector; both spans are dense.</summary>
    internal delegate void MapVector(ReadOnlySpan<float> input, Span<float> output);

    private readonly MapVector _map;
    private readonly DataViewSchema.Column _source;
    private readonly int _outputLength;

    /// <summary>Binds the mapping to <paramref name="inputSchema"/>; throws if the source column does not fit.</summary>
    /// <param name="inputSchema">The schema rows given to <see cref="GetRow"/> will have (same object).</param>
    /// <param name="sourceColumn">Input column: a known-size vector of Single.</param>
    /// <param name="outputColumn">Name of the appended column.</param>
    /// <param name="outputLength">Output vector length, from the input vector length.</param>
    /// <param name="map">The per-row computation.</param>
    internal VectorColumnMapper(DataViewSchema inputSchema, string sourceColumn, string outputColumn,
        Func<int, int> outputLength, MapVector map)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var source = inputSchema.GetColumnOrNull(sourceColumn)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{sourceColumn}' not found.");
        if (source.Type is not VectorDataViewType { ItemType: NumberDataViewType, IsKnownSize: true } vector
            || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Input column '{sourceColumn}' must be a known-size vector of Single, not {source.Type}.");

        _source = source;
        _outputLength = outputLength(vector.Size);
        _map = map;
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumn, new VectorDataViewType(NumberDataViewType.Single, _outputLength));
        OutputSchema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    private int OutputIndex => InputSchema.Count;

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
        {
            if (column.Index == OutputIndex) needed.Add(_source.Index);
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

    /// <summary>Getter for a column of the output schema, reading from <paramref name="input"/>.</summary>
    internal ValueGetter<TValue> GetGetter<TValue>(DataViewRow input, DataViewSchema.Column column, bool outputActive)
    {
        if (column.Index < OutputIndex)
            return input.GetGetter<TValue>(InputSchema[column.Index]);
        if (column.Index != OutputIndex || !outputActive)
            throw new InvalidOperationException($"Column '{column.Name}' is not active.");
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException($"Column '{column.Name}' is a vector of Single; cannot read it as {typeof(TValue)}.");

        var sourceGetter = input.GetGetter<VBuffer<float>>(_source);
        var source = default(VBuffer<float>);
        var dense = new float[((VectorDataViewType)_source.Type).Size];
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            sourceGetter(ref source);
            source.CopyTo(dense); // densifies sparse input
            var editor = VBufferEditor.Create(ref value, _outputLength);
            _map(dense, editor.Values);
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

/// <summary>
/// The lazy <see cref="IDataView"/> a <see cref="VectorColumnMapper"/>-based transformer returns
/// from <see cref="ITransformer.Transform"/>: cursors over the source, mapped row by row.
/// </summary>
internal sealed class MappedDataView(IDataView source, VectorColumnMapper mapper) : IDataView
{
    /// <inheritdoc/>
    public bool CanShuffle => source.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => mapper.OutputSchema;

    /// <inheritdoc/>
    public long? GetRowCount() => source.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return new Cursor(mapper, source.GetRowCursor(mapper.GetDependencies(needed), rand), mapper.NeedsOutput(needed));
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        bool outputActive = mapper.NeedsOutput(needed);
        return source.GetRowCursorSet(mapper.GetDependencies(needed), n, rand)
            .Select(c => (DataViewRowCursor)new Cursor(mapper, c, outputActive)).ToArray();
    }

    private sealed class Cursor(VectorColumnMapper mapper, DataViewRowCursor input, bool outputActive) : DataViewRowCursor
    {
        public override DataViewSchema Schema => mapper.OutputSchema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override bool MoveNext() => input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => mapper.IsColumnActive(input, column, outputActive);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => mapper.GetGetter<TValue>(input, column, outputActive);

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
            base.Dispose(disposing);
        }
    }
}
