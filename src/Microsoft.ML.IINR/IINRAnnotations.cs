using Microsoft.ML.Data;

namespace Microsoft.ML.IINR;

/// <summary>
/// The column annotations through which an image's size travels with its one-row-per-pixel data.
/// </summary>
/// <remarks>
/// <para><see cref="IINRDataLoaders.LoadFromImage(DataOperationsCatalog, string, string, string)"/>
/// puts <see cref="ImageWidth"/> and <see cref="ImageHeight"/> (Int32) on both the coordinates and
/// the signal column, and <see cref="ImageChannels"/> (Int32) on the signal column. Together they
/// say: the rows are the W×H pixels in row-major order, and the coordinates are their
/// <c>PixelGrid</c> centres in the frame [−W/max(W, H), W/max(W, H)]×[−H/max(W, H), H/max(W, H)].</para>
/// <para>The estimator reads them (signal column first, then the coordinates column) and the fitted
/// <see cref="IINRTransformer"/> remembers the frame (<see cref="IINRTransformer.Image"/>), so
/// <see cref="IINRTransformer.RenderImage(int, int)"/> needs only the output size.
/// <see cref="IINRMetrics"/> uses them to compute SSIM on a scored view. Transforms that keep a
/// column (Transform passes input columns through) keep its annotations; ones that build a new
/// column, such as Concatenate, drop them.</para>
/// </remarks>
public static class IINRAnnotations
{
    /// <summary>Annotation kind: the image width in pixels (Int32).</summary>
    public const string ImageWidth = "IINR.ImageWidth";

    /// <summary>Annotation kind: the image height in pixels (Int32).</summary>
    public const string ImageHeight = "IINR.ImageHeight";

    /// <summary>Annotation kind: the image's channel count (Int32), equal to the signal vector's size.</summary>
    public const string ImageChannels = "IINR.ImageChannels";

    /// <summary>Annotations holding an image size, and its channel count when given.</summary>
    internal static DataViewSchema.Annotations ForImage(int width, int height, int? channels)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.AddPrimitiveValue(ImageWidth, NumberDataViewType.Int32, width);
        builder.AddPrimitiveValue(ImageHeight, NumberDataViewType.Int32, height);
        if (channels is int c) builder.AddPrimitiveValue(ImageChannels, NumberDataViewType.Int32, c);
        return builder.ToAnnotations();
    }

    /// <summary>
    /// The image size from a column's annotations: null when it has neither; an error when they are
    /// incomplete, of another type or not positive.
    /// </summary>
    internal static (int Width, int Height, int? Channels)? ReadImageSize(DataViewSchema.Column column)
    {
        int? width = ReadInt(column, ImageWidth), height = ReadInt(column, ImageHeight);
        int? channels = ReadInt(column, ImageChannels);
        if (width is null && height is null) return null;
        if (width is null || height is null)
            throw new InvalidOperationException(
                $"Column '{column.Name}' has the annotation {(width is null ? ImageHeight : ImageWidth)} but not {(width is null ? ImageWidth : ImageHeight)}: an image size needs both.");
        if (width < 1 || height < 1)
            throw new InvalidOperationException($"Column '{column.Name}' has annotations for an image of {width}×{height} pixels: both must be ≥ 1.");
        return (width.Value, height.Value, channels);
    }

    private static int? ReadInt(DataViewSchema.Column column, string kind)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(kind);
        if (annotation is null) return null;
        if (annotation.Value.Type != NumberDataViewType.Int32)
            throw new InvalidOperationException($"Column '{column.Name}' has the annotation {kind} of type {annotation.Value.Type}; expected Int32.");
        int value = 0;
        column.Annotations.GetValue(kind, ref value);
        return value;
    }
}
