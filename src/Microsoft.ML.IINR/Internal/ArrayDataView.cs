using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// An in-memory <see cref="IDataView"/> whose columns are known-size <c>Vector&lt;Single&gt;</c>s
/// stored as row-major arrays (the loaders' one-row-per-pixel or per-voxel tables), each column
/// optionally carrying annotations. Immutable; any number of cursors may run at once. Rows come in
/// array order; the view does not shuffle.
/// </summary>
internal sealed class ArrayDataView : IDataView
{
    /// <summary>One column: <paramref name="Values"/> holds rows × <paramref name="Width"/> values.</summary>
    internal sealed record Column(string Name, int Width, float[] Values, DataViewSchema.Annotations? Annotations = null);

    private readonly Column[] _columns;
    private readonly int _rows;

    /// <summary>Creates the view; every column must hold the same number of rows. The arrays are not copied.</summary>
    internal ArrayDataView(params Column[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("A data view needs at least one column.", nameof(columns));
        var builder = new DataViewSchema.Builder();
        _rows = -1;
        foreach (var c in columns)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(c.Width, 1, nameof(columns));
            if (c.Values.Length % c.Width != 0)
                throw new ArgumentException($"Column '{c.Name}' holds {c.Values.Length} values, not a multiple of its width {c.Width}.", nameof(columns));
            int rows = c.Values.Length / c.Width;
            if (_rows >= 0 && rows != _rows)
                throw new ArgumentException($"Column '{c.Name}' has {rows} rows, the others {_rows}.", nameof(columns));
            _rows = rows;
            builder.AddColumn(c.Name, new VectorDataViewType(NumberDataViewType.Single, c.Width), c.Annotations);
        }
        _columns = columns;
        Schema = builder.ToSchema();
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _rows;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[_columns.Length];
        foreach (var c in columnsNeeded)
        {
            if (c.Index < 0 || c.Index >= active.Length || Schema[c.Index].Name != c.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{c.Name}' does not belong to this data view.");
            active[c.Index] = true;
        }
        return new Cursor(this, active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(ArrayDataView parent, bool[] active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position >= parent._rows) return false;
            return ++_position < parent._rows;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
        {
            CheckOnRow();
            value = new DataViewRowId((ulong)_position, 0);
        };

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= active.Length || !active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active.");
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; cannot read it as {typeof(TValue)}.");
            var data = parent._columns[column.Index];
            int width = data.Width;
            float[] values = data.Values;
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                CheckOnRow();
                var editor = VBufferEditor.Create(ref value, width);
                values.AsSpan((int)_position * width, width).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        private void CheckOnRow()
        {
            if (_position < 0 || _position >= parent._rows)
                throw new InvalidOperationException("The cursor is not on a row.");
        }
    }
}
