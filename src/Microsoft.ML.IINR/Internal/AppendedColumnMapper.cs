using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Row-to-row mapping for a transformer that implements <see cref="ITransformer"/> directly: keeps every input
/// column and appends one column computed from one input column. Subclasses supply the output's getter
/// (<see cref="VectorColumnMapper"/>: a vector of Single; <see cref="ImageColumnMapper"/>: an image). Only public
/// ML.NET API is used here.
/// </summary>
/// <remarks>
/// The output schema is the input schema plus one column at index <c>InputSchema.Count</c>; if its name is taken,
/// the input column becomes hidden, as in ML.NET's own transformers. Input column indices are therefore the same in
/// both schemas. The rules ML.NET relies on (Internal/PERSISTENCE.md, "Row-to-row mapping") are kept here.
/// </remarks>
internal abstract class AppendedColumnMapper : IRowToRowMapper
{
    /// <summary>Binds the mapping to <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema rows given to <see cref="GetRow"/> will have (same object).</param>
    /// <param name="source">The input column the output is computed from, already checked.</param>
    /// <param name="outputColumn">Name of the appended column.</param>
    /// <param name="outputType">Its type.</param>
    protected AppendedColumnMapper(DataViewSchema inputSchema, DataViewSchema.Column source, string outputColumn, DataViewType outputType)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        Source = source;
        InputSchema = inputSchema;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(outputColumn, outputType);
        OutputSchema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The source column (in <see cref="InputSchema"/>).</summary>
    internal DataViewSchema.Column Source { get; }

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
        return OutputGetter<TValue>(input, column);
    }

    /// <summary>The getter of the appended column for the row-by-row mapping, reading the source from <paramref name="input"/>.</summary>
    protected abstract ValueGetter<TValue> OutputGetter<TValue>(DataViewRow input, DataViewSchema.Column column);

    /// <summary>Whether an output-schema column is active, given the input row.</summary>
    internal bool IsColumnActive(DataViewRow input, DataViewSchema.Column column, bool outputActive) =>
        column.Index < OutputIndex ? input.IsColumnActive(InputSchema[column.Index]) : outputActive;

    private sealed class MappedRow(AppendedColumnMapper mapper, DataViewRow input, bool outputActive) : DataViewRow
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
