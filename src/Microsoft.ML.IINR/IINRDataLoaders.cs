using IINR.Signals;
using IINR.Signals.Geometry;
using IINR.Trainers;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML;

/// <summary>
/// Loads signals as data views of one row per sample, ready for <c>mlContext.Transforms.IINR</c>:
/// <c>mlContext.Data.LoadFromImage(...)</c>, <c>mlContext.Data.LoadFromOccupancy(...)</c> and
/// <c>mlContext.Data.LoadFromOccupancySamples(...)</c>.
/// </summary>
/// <remarks>
/// The views are in memory, immutable and may be read by several cursors at once; rows come in
/// a fixed order (the views do not shuffle).
/// </remarks>
public static class IINRDataLoaders
{
    /// <summary>
    /// Loads an image file as one row per pixel, in row-major order: <paramref name="coordinatesColumnName"/>,
    /// <c>Vector&lt;Single, 2&gt;</c>, the pixel centre (x, y) in the aspect-preserving frame of
    /// <see cref="PixelGrid"/> (the longer side spans [−1, 1], y grows downwards); and
    /// <paramref name="signalColumnName"/>, <c>Vector&lt;Single, C&gt;</c>, the pixel's values in [0, 1]
    /// (C = 1 for grey files, 3 otherwise). The image size travels as annotations (<see cref="IINRAnnotations"/>).
    /// </summary>
    /// <remarks>
    /// Reads 8- and 16-bit PNG (16-bit at full precision), JPEG and BMP through <see cref="ImageFile"/> (IINR.Signals):
    /// grey and grey+alpha give 1 channel, RGB and RGBA 3; an alpha channel is dropped (the colours are
    /// used as stored, not composited). Values are stored value / maximum, with no gamma or colour-profile
    /// conversion.
    /// </remarks>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="path">The image file.</param>
    /// <param name="coordinatesColumnName">Name of the coordinates column.</param>
    /// <param name="signalColumnName">Name of the signal column.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a PNG, JPEG or BMP image, or is damaged; the message names the file.</exception>
    public static IDataView LoadFromImage(this DataOperationsCatalog catalog, string path,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return LoadFromImage(catalog, ImageFile.Load(path), coordinatesColumnName, signalColumnName);
    }

    /// <summary>
    /// Loads an <see cref="MLImage"/> as one row per pixel, like <see cref="LoadFromImage(DataOperationsCatalog, string, string, string)"/>,
    /// always with 3 channels (RGB; alpha is dropped, and a grey image gives three equal channels —
    /// convert it with <see cref="MLImageConversions.ToSignalImage"/> and <see cref="SignalImage.ToGrey"/> for one).
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="image">An image in Rgba32 or Bgra32 format.</param>
    /// <param name="coordinatesColumnName">Name of the coordinates column.</param>
    /// <param name="signalColumnName">Name of the signal column.</param>
    public static IDataView LoadFromImage(this DataOperationsCatalog catalog, MLImage image,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return LoadFromImage(catalog, image.ToSignalImage(), coordinatesColumnName, signalColumnName);
    }

    /// <summary>
    /// Loads a float raster as one row per pixel, like <see cref="LoadFromImage(DataOperationsCatalog, string, string, string)"/>,
    /// with its own channel count (1 to 64) and values (not clamped). The pixel values are copied.
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="image">The image.</param>
    /// <param name="coordinatesColumnName">Name of the coordinates column.</param>
    /// <param name="signalColumnName">Name of the signal column.</param>
    public static IDataView LoadFromImage(this DataOperationsCatalog catalog, SignalImage image,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ImageView(image, coordinatesColumnName, signalColumnName);
    }

    /// <summary>The view of <see cref="LoadFromImage(DataOperationsCatalog, SignalImage, string, string)"/>.</summary>
    internal static IDataView ImageView(SignalImage image, string coordinatesColumnName, string signalColumnName)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckNames(coordinatesColumnName, signalColumnName);
        if (image.Channels > TrainingSet.MaxChannels)
            throw new ArgumentException($"The image has {image.Channels} channels; at most {TrainingSet.MaxChannels} are supported.", nameof(image));
        return new ArrayDataView(
            new ArrayDataView.Column(coordinatesColumnName, 2, PixelGrid.Coordinates(image.Width, image.Height),
                IINRAnnotations.ForImage(image.Width, image.Height, channels: null)),
            new ArrayDataView.Column(signalColumnName, image.Channels, (float[])image.Data.Clone(),
                IINRAnnotations.ForImage(image.Width, image.Height, image.Channels)));
    }

    /// <summary>
    /// Loads a 3D occupancy grid as one row per voxel, in the <see cref="VoxelGrid"/> order (x fastest,
    /// then y, then z): <paramref name="coordinatesColumnName"/>, <c>Vector&lt;Single, 3&gt;</c>, the voxel
    /// centre in [−1, 1]³; <paramref name="signalColumnName"/>, <c>Vector&lt;Single, 1&gt;</c>, 1 for
    /// occupied and 0 for empty.
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="volume">The occupancy grid.</param>
    /// <param name="coordinatesColumnName">Name of the coordinates column.</param>
    /// <param name="signalColumnName">Name of the signal column.</param>
    public static IDataView LoadFromOccupancy(this DataOperationsCatalog catalog, OccupancyVolume volume,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(volume);
        CheckNames(coordinatesColumnName, signalColumnName);
        return new ArrayDataView(
            new ArrayDataView.Column(coordinatesColumnName, 3, VoxelGrid.Coordinates(volume.SizeX, volume.SizeY, volume.SizeZ)),
            new ArrayDataView.Column(signalColumnName, 1, volume.ToFloatArray()));
    }

    /// <summary>
    /// Loads occupancy samples in continuous space (<see cref="OccupancySampler"/>: points uniform in the box and near
    /// the surface, labelled by winding number) as one row per point, in the samples' order:
    /// <paramref name="coordinatesColumnName"/>, <c>Vector&lt;Single, 3&gt;</c>, the point in [−1, 1]³;
    /// <paramref name="signalColumnName"/>, <c>Vector&lt;Single, 1&gt;</c>, 1 inside and 0 outside. Training on such
    /// points (in random batches) learns the shape rather than one grid's samples.
    /// </summary>
    /// <param name="catalog">The data catalog of an <see cref="MLContext"/>.</param>
    /// <param name="samples">The labelled points.</param>
    /// <param name="coordinatesColumnName">Name of the coordinates column.</param>
    /// <param name="signalColumnName">Name of the signal column.</param>
    public static IDataView LoadFromOccupancySamples(this DataOperationsCatalog catalog, OccupancySamples samples,
        string coordinatesColumnName = "Coordinates", string signalColumnName = "Signal")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(samples);
        return OccupancySamplesView(new OccupancySamples((float[])samples.Coordinates.Clone(), (float[])samples.Occupancy.Clone()), coordinatesColumnName, signalColumnName);
    }

    /// <summary>The view of <see cref="LoadFromOccupancySamples"/> over the samples' own arrays (not copied: the caller keeps them unchanged).</summary>
    internal static IDataView OccupancySamplesView(OccupancySamples samples, string coordinatesColumnName, string signalColumnName)
    {
        ArgumentNullException.ThrowIfNull(samples);
        CheckNames(coordinatesColumnName, signalColumnName);
        return new ArrayDataView(
            new ArrayDataView.Column(coordinatesColumnName, 3, samples.Coordinates),
            new ArrayDataView.Column(signalColumnName, 1, samples.Occupancy));
    }

    private static void CheckNames(string coordinatesColumnName, string signalColumnName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(coordinatesColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(signalColumnName);
        if (coordinatesColumnName == signalColumnName)
            throw new ArgumentException($"The coordinates and signal columns are both named '{signalColumnName}'.", nameof(signalColumnName));
    }
}
