using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// An <see cref="AppendedColumnMapper"/> whose output is a <c>Vector&lt;Single&gt;</c> computed from one input
/// <c>Vector&lt;Single&gt;</c> column. Used for <see cref="ITransformer.GetRowToRowMapper"/> (and so
/// PredictionEngine), one row per call of the mapping, and, through <see cref="BatchedVectorDataView"/>, for
/// <see cref="ITransformer.Transform"/>, many rows per call.
/// </summary>
internal sealed class VectorColumnMapper : AppendedColumnMapper
{
    /// <summary>
    /// Computes the output vectors of a run of consecutive rows from their input vectors: n rows of
    /// the input length in <paramref name="inputs"/>, n rows of the output length into
    /// <paramref name="outputs"/>, both dense and row-major. <paramref name="firstRow"/> is the
    /// position of the first row in its cursor, for error messages.
    /// </summary>
    internal delegate void MapBatch(ReadOnlySpan<float> inputs, Span<float> outputs, long firstRow);

    /// <summary>Binds the mapping to <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema rows given to <see cref="AppendedColumnMapper.GetRow"/> will have (same object).</param>
    /// <param name="source">Input column of <paramref name="inputSchema"/>, already checked to be a
    /// known-size vector of Single (<see cref="ColumnRequirements.SingleVector(DataViewSchema, string, int, int, string?)"/>).</param>
    /// <param name="inputLength">Its vector length.</param>
    /// <param name="outputColumn">Name of the appended column.</param>
    /// <param name="outputLength">Output vector length.</param>
    /// <param name="map">The computation, for one or more rows at a time.</param>
    internal VectorColumnMapper(DataViewSchema inputSchema, DataViewSchema.Column source, int inputLength,
        string outputColumn, int outputLength, MapBatch map)
        : base(inputSchema, source, outputColumn, new VectorDataViewType(NumberDataViewType.Single, outputLength))
    {
        InputLength = inputLength;
        OutputLength = outputLength;
        Map = map;
    }

    /// <summary>Values per input row.</summary>
    internal int InputLength { get; }

    /// <summary>Values per output row.</summary>
    internal int OutputLength { get; }

    /// <summary>The mapping, for batched evaluation.</summary>
    internal MapBatch Map { get; }

    /// <inheritdoc/>
    protected override ValueGetter<TValue> OutputGetter<TValue>(DataViewRow input, DataViewSchema.Column column)
    {
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
}
