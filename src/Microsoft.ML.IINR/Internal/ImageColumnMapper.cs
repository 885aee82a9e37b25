using IINR.Signals;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// An <see cref="AppendedColumnMapper"/> whose output is an image computed from one input image column, row by
/// row: the mapping of <see cref="IINRImageTransformer.GetRowToRowMapper"/> (and so PredictionEngine). A row is
/// computed when its output is read, once per row position (reading it twice gives the same image without a second
/// fit). <see cref="ImageColumnDataView"/> serves <see cref="ITransformer.Transform"/> with several rows at a time.
/// </summary>
internal sealed class ImageColumnMapper : AppendedColumnMapper
{
    private readonly Func<SignalImage, long, SignalImage> _map;

    /// <summary>Binds the mapping to <paramref name="inputSchema"/>.</summary>
    /// <param name="inputSchema">The schema rows given to <see cref="AppendedColumnMapper.GetRow"/> will have (same object).</param>
    /// <param name="source">The input image column, already checked.</param>
    /// <param name="outputColumn">Name of the appended image column.</param>
    /// <param name="outputType">Its type.</param>
    /// <param name="map">One input image and its row position → the output image.</param>
    internal ImageColumnMapper(DataViewSchema inputSchema, DataViewSchema.Column source, string outputColumn, ImageDataViewType outputType,
        Func<SignalImage, long, SignalImage> map)
        : base(inputSchema, source, outputColumn, outputType)
    {
        _map = map;
    }

    /// <inheritdoc/>
    protected override ValueGetter<TValue> OutputGetter<TValue>(DataViewRow input, DataViewSchema.Column column)
    {
        CheckType<TValue>(column);
        var sourceGetter = input.GetGetter<MLImage>(Source);
        MLImage? source = null;
        long cachedPosition = -1;
        SignalImage? cached = null;
        ValueGetter<MLImage?> getter = (ref MLImage? value) =>
        {
            long position = input.Position;
            if (position < 0) throw new InvalidOperationException("The row is not on a position (the cursor has not moved).");
            if (position != cachedPosition)
            {
                sourceGetter(ref source!);
                cached = source is null ? null : _map(source.ToSignalImage(), position);
                cachedPosition = position;
            }
            SetImage(ref value, cached);
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    /// <summary>Throws unless the column is read as <see cref="MLImage"/>.</summary>
    internal static void CheckType<TValue>(DataViewSchema.Column column)
    {
        if (typeof(TValue) != typeof(MLImage))
            throw new InvalidOperationException($"Column '{column.Name}' is an image; read it as MLImage, not {typeof(TValue)}.");
    }

    /// <summary>Hands out <paramref name="image"/> as a new <see cref="MLImage"/> (null for none), disposing the one the
    /// caller held, as ML.NET's image transforms do: use each image before reading the next row.</summary>
    internal static void SetImage(ref MLImage? value, SignalImage? image)
    {
        value?.Dispose();
        value = image?.ToMLImage();
    }
}
