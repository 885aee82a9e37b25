using IINR.Signals;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.IINR;

/// <summary>Converts between ML.NET's 8-bit <see cref="MLImage"/> and the float rasters (<see cref="SignalImage"/>) the
/// library fits and renders; image files are read and written by <see cref="ImageFile"/>.</summary>
public static class MLImageConversions
{
    /// <summary>Converts an <see cref="MLImage"/> to a 3-channel (RGB) image with values in [0, 1]; alpha is dropped.</summary>
    /// <param name="image">An image in <see cref="MLPixelFormat.Rgba32"/> or <see cref="MLPixelFormat.Bgra32"/> format.</param>
    /// <remarks>
    /// The colour bytes are taken as <see cref="MLImage"/> holds them; note that ML.NET may hold images loaded from files with
    /// transparency premultiplied by alpha. Grey images come back with three equal channels; use <see cref="SignalImage.ToGrey"/>.
    /// </remarks>
    public static SignalImage ToSignalImage(this MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int width = image.Width, height = image.Height;
        ReadOnlySpan<byte> pixels = image.Pixels;
        (int r, int b) = image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => (0, 2),
            MLPixelFormat.Bgra32 => (2, 0),
            var other => throw new ArgumentException($"MLImage pixel format {other} is not supported; expected Rgba32 or Bgra32.", nameof(image)),
        };
        if (pixels.Length != width * height * 4)
            throw new ArgumentException($"MLImage holds {pixels.Length} bytes for {width}×{height} pixels; expected {width * height * 4} (4 per pixel, no row padding).", nameof(image));

        var result = new SignalImage(width, height, 3);
        float[] data = result.Data;
        for (int i = 0; i < width * height; i++)
        {
            data[3 * i] = pixels[4 * i + r] / 255f;
            data[3 * i + 1] = pixels[4 * i + 1] / 255f;
            data[3 * i + 2] = pixels[4 * i + b] / 255f;
        }
        return result;
    }

    /// <summary>
    /// Lets a plain <see cref="MLImage"/> property or field (without <see cref="ImageTypeAttribute"/>) stand for a
    /// variable-size image column, as <c>LoadImages</c> and the IINR image steps produce, in the classes given to
    /// <c>LoadFromEnumerable</c>, <c>CreateEnumerable</c> and <c>PredictionEngine</c>. ML.NET 5.0.1 has no other way to
    /// declare one: <c>[ImageType]</c> without a size fails. Registers the pair with ML.NET's
    /// <see cref="DataViewTypeManager"/>; idempotent and thread-safe. The image steps
    /// (<see cref="IINRCatalog.SuperResolveImages"/>, <see cref="IINRCatalog.DenoiseImages"/>) call it when they are
    /// created or loaded; call it yourself before loading such classes earlier.
    /// </summary>
    public static void RegisterVariableSizeImageType() => DataViewTypeManager.Register(new ImageDataViewType(), typeof(MLImage));

    /// <summary>Converts a 1- or 3-channel image to an opaque <see cref="MLPixelFormat.Rgba32"/> <see cref="MLImage"/>
    /// (grey is replicated to R, G and B), quantised as <see cref="ImageFile.SavePng(SignalImage, string)"/> does.</summary>
    /// <param name="image">A 1- or 3-channel image.</param>
    /// <returns>A new image; the caller disposes it.</returns>
    public static MLImage ToMLImage(this SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return MLImage.CreateFromPixels(image.Width, image.Height, MLPixelFormat.Rgba32, ImageFile.ToRgba32(image));
    }
}
