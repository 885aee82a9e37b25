using IINR.Signals;
using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// The lazy <see cref="IDataView"/> <see cref="IINRImageTransformer.Transform"/> returns. A cursor that reads the
/// output column fits rows through an <see cref="ImageJobRunner{TSource}"/>: with one concurrent fit a row is
/// fitted when its output is read; with K, up to 2K rows ahead are read and fitted K at a time.
/// </summary>
/// <remarks>
/// Like <see cref="BatchedVectorDataView"/>, a cursor keeps two cursors on the source: a look-ahead cursor that reads
/// only the image column (the runner's sources) and the main cursor that serves the pass-through columns. They must
/// see the same rows in the same order; the row ids are compared, and a mismatch is an error, not wrong output. So
/// this view cannot shuffle and gives one cursor per request; with the output column inactive it is a pass-through.
/// </remarks>
internal sealed class ImageColumnDataView : IDataView
{
    private readonly IDataView _source;
    private readonly ImageColumnMapper _mapper;
    private readonly Func<IEnumerable<SourceRow>, ImageJobRunner<SourceRow>> _startRunner;

    /// <summary>One row as the look-ahead cursor read it; a null image (a missing one) gives a null output.</summary>
    internal readonly record struct SourceRow(long Position, DataViewRowId Id, SignalImage? Image);

    /// <summary>Creates the view; <paramref name="mapper"/> must be bound to <paramref name="source"/>'s schema.</summary>
    /// <param name="source">The input.</param>
    /// <param name="mapper">The row mapping (schema and pass-through columns).</param>
    /// <param name="startRunner">Starts the runner of one cursor over the rows read ahead.</param>
    internal ImageColumnDataView(IDataView source, ImageColumnMapper mapper, Func<IEnumerable<SourceRow>, ImageJobRunner<SourceRow>> startRunner)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mapper);
        if (source.Schema != mapper.InputSchema)
            throw new ArgumentException("The mapper was bound to another schema than the source's.", nameof(mapper));
        _source = source;
        _mapper = mapper;
        _startRunner = startRunner;
    }

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
        var main = _source.GetRowCursor(_mapper.GetDependencies(needed.Where(c => !_mapper.IsOutput(c))));
        if (!_mapper.NeedsOutput(needed))
            return new Cursor(this, main, null, null);
        DataViewRowCursor? lookAhead = null;
        try
        {
            lookAhead = _source.GetRowCursor([_mapper.Source]);
            return new Cursor(this, main, lookAhead, _startRunner(Read(lookAhead, _mapper.Source)));
        }
        catch
        {
            lookAhead?.Dispose();
            main.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    // The look-ahead cursor's rows, each image converted as soon as it is read (the upstream getter may dispose it on the next row).
    private static IEnumerable<SourceRow> Read(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getImage = cursor.GetGetter<MLImage>(column);
        var getId = cursor.GetIdGetter();
        MLImage? image = null;
        var id = default(DataViewRowId);
        while (cursor.MoveNext())
        {
            getImage(ref image!);
            getId(ref id);
            yield return new SourceRow(cursor.Position, id, image?.ToSignalImage());
        }
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageColumnDataView _parent;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _lookAhead;
        private readonly ImageJobRunner<SourceRow>? _runner;
        private readonly ValueGetter<DataViewRowId> _mainId;
        private bool _good;

        public Cursor(ImageColumnDataView parent, DataViewRowCursor main, DataViewRowCursor? lookAhead, ImageJobRunner<SourceRow>? runner)
        {
            _parent = parent;
            _main = main;
            _lookAhead = lookAhead;
            _runner = runner;
            _mainId = main.GetIdGetter();
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _main.Position;
        public override long Batch => _main.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            _parent._mapper.IsOutput(column) ? _runner is not null : _parent._mapper.IsColumnActive(_main, column, outputActive: false);

        public override bool MoveNext()
        {
            _good = _main.MoveNext();
            if (!_good || _runner is null) return _good;
            if (!_runner.MoveNext())
                throw new InvalidOperationException(
                    $"The input data view gave two cursors different rows (one ended before row {_main.Position}); it must return the same rows in the same order to every cursor.");
            var id = default(DataViewRowId);
            _mainId(ref id);
            if (!id.Equals(_runner.Current!.Source.Id))
                throw new InvalidOperationException(
                    $"The input data view gave two cursors different rows at row {_main.Position}; it must return the same rows in the same order to every cursor.");
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var mapper = _parent._mapper;
            if (!mapper.IsOutput(column))
                return mapper.GetGetter<TValue>(_main, column, outputActive: false);
            if (_runner is null)
                throw new InvalidOperationException($"Column '{column.Name}' is not active.");
            ImageColumnMapper.CheckType<TValue>(column);
            ValueGetter<MLImage?> getter = (ref MLImage? value) =>
            {
                if (!_good) throw new InvalidOperationException("The cursor is not on a row.");
                var job = _runner.Wait();
                if (job.Error is { } e)
                    throw new InvalidOperationException($"Computing image column '{column.Name}' failed on row {Position}: {e.Message}", e);
                ImageColumnMapper.SetImage(ref value, job.Output?.Image);
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _runner?.Dispose(); // stops the fits before their source goes away
                _lookAhead?.Dispose();
                _main.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
