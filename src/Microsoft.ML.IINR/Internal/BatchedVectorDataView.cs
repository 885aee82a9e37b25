using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// The lazy <see cref="IDataView"/> a <see cref="VectorColumnMapper"/>-based transformer returns
/// from <see cref="ITransformer.Transform"/>. When the output column is read, the mapping runs on
/// batches of up to <see cref="BatchRows"/> consecutive rows, not row by row.
/// </summary>
/// <remarks>
/// <para>Like ML.NET's own batching views (BatchDataViewMapperBase), a cursor keeps two cursors
/// on the source: a look-ahead cursor that reads only the source column, a batch at a time, and
/// the main cursor that serves the pass-through columns row by row. The two must see the same rows
/// in the same order; the row ids are compared, and a mismatch is an error, not wrong output.</para>
/// <para>Consequently this view cannot shuffle (<see cref="CanShuffle"/> is false and a
/// <see cref="Random"/> passed in is ignored) and returns a single cursor from
/// <see cref="GetRowCursorSet"/>; with the output column inactive it is a plain pass-through.</para>
/// </remarks>
internal sealed class BatchedVectorDataView : IDataView
{
    private readonly IDataView _source;
    private readonly VectorColumnMapper _mapper;

    /// <summary>Creates the view; <paramref name="mapper"/> must be bound to <paramref name="source"/>'s schema.</summary>
    internal BatchedVectorDataView(IDataView source, VectorColumnMapper mapper, int batchRows)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mapper);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        if (source.Schema != mapper.InputSchema)
            throw new ArgumentException("The mapper was bound to another schema than the source's.", nameof(mapper));
        _source = source;
        _mapper = mapper;
        BatchRows = batchRows;
    }

    /// <summary>Rows per call of the mapping.</summary>
    internal int BatchRows { get; }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc/>
    public long? GetRowCount() => _source.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var needed = columnsNeeded.ToArray();
        bool outputActive = _mapper.NeedsOutput(needed);
        // The main cursor serves pass-through columns only; the look-ahead cursor reads the source column.
        var passThrough = _mapper.GetDependencies(needed.Where(c => !_mapper.IsOutput(c)));
        var main = _source.GetRowCursor(passThrough);
        if (!outputActive)
            return new Cursor(this, main, lookAhead: null);
        try
        {
            return new Cursor(this, main, _source.GetRowCursor([_mapper.Source]));
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchedVectorDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _lookAhead;
        private readonly ValueGetter<VBuffer<float>>? _sourceGetter;
        private readonly ValueGetter<DataViewRowId>? _lookAheadId;
        private readonly ValueGetter<DataViewRowId>? _mainId;
        private readonly float[] _inputs = [];
        private readonly float[] _outputs = [];
        private readonly DataViewRowId[] _ids = [];
        private VBuffer<float> _sourceValue;
        private int _index; // the current row within the batch
        private int _count; // rows in the batch
        private bool _good;

        public Cursor(BatchedVectorDataView parent, DataViewRowCursor main, DataViewRowCursor? lookAhead)
        {
            _parent = parent;
            _main = main;
            _lookAhead = lookAhead;
            if (lookAhead is null) return;
            var mapper = parent._mapper;
            _sourceGetter = lookAhead.GetGetter<VBuffer<float>>(mapper.Source);
            _lookAheadId = lookAhead.GetIdGetter();
            _mainId = main.GetIdGetter();
            _inputs = new float[checked(parent.BatchRows * mapper.InputLength)];
            _outputs = new float[checked(parent.BatchRows * mapper.OutputLength)];
            _ids = new DataViewRowId[parent.BatchRows];
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _main.Position;
        public override long Batch => _main.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            _parent._mapper.IsOutput(column) ? _lookAhead is not null : _parent._mapper.IsColumnActive(_main, column, outputActive: false);

        public override bool MoveNext()
        {
            _good = _main.MoveNext();
            if (!_good || _lookAhead is null) return _good;
            if (++_index >= _count) FillBatch();
            if (_count == 0)
                throw new InvalidOperationException(
                    $"The input data view gave two cursors different rows (one ended before row {_main.Position}); it must return the same rows in the same order to every cursor.");
            var id = default(DataViewRowId);
            _mainId!(ref id);
            if (!id.Equals(_ids[_index]))
                throw new InvalidOperationException(
                    $"The input data view gave two cursors different rows at row {_main.Position}; it must return the same rows in the same order to every cursor.");
            return true;
        }

        private void FillBatch()
        {
            var mapper = _parent._mapper;
            int inLength = mapper.InputLength, n = 0;
            long first = -1;
            while (n < _parent.BatchRows && _lookAhead!.MoveNext())
            {
                if (n == 0) first = _lookAhead.Position;
                _sourceGetter!(ref _sourceValue);
                _sourceValue.CopyTo(_inputs.AsSpan(n * inLength, inLength)); // densifies sparse input
                _lookAheadId!(ref _ids[n]);
                n++;
            }
            _index = 0;
            _count = n;
            if (n > 0)
                mapper.Map(_inputs.AsSpan(0, n * inLength), _outputs.AsSpan(0, n * mapper.OutputLength), first);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var mapper = _parent._mapper;
            if (!mapper.IsOutput(column))
                return mapper.GetGetter<TValue>(_main, column, outputActive: false);
            if (_lookAhead is null)
                throw new InvalidOperationException($"Column '{column.Name}' is not active.");
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' is a vector of Single; cannot read it as {typeof(TValue)}.");
            int length = mapper.OutputLength;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                if (!_good) throw new InvalidOperationException("The cursor is not on a row.");
                var editor = VBufferEditor.Create(ref value, length);
                _outputs.AsSpan(_index * length, length).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _lookAhead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
