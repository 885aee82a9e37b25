using System.Globalization;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.Data;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Fits an (iterative) implicit neural representation to a data view of coordinates and signal
/// values; create it with <c>mlContext.Transforms.IINR.Trainer(options)</c>.
/// </summary>
/// <remarks>
/// <para><b>Input.</b> <see cref="IINROptions.CoordinatesColumnName"/>: <c>Vector&lt;Single, D&gt;</c>,
/// D = 1, 2 or 3, values in [−1, 1]; <see cref="IINROptions.SignalColumnName"/>:
/// <c>Vector&lt;Single, C&gt;</c>, C = 1 to 64. Every value must be finite. All rows are read into
/// memory and fitted as one training set (full batch up to <see cref="InrOptions.MaxFullBatch"/> rows).</para>
/// <para><b>Images.</b> When the columns carry the image size annotations of
/// <c>mlContext.Data.LoadFromImage</c> (<see cref="IINRAnnotations"/>), the fitted transformer
/// remembers the image frame (<see cref="IINRTransformer.Image"/>) for
/// <see cref="IINRTransformer.RenderImage(int, int)"/>, and <see cref="IINROptions.TrainingScale"/> can be used.</para>
/// <para><b>Output.</b> <see cref="IINROptions.OutputColumnName"/>: <c>Vector&lt;Single, C&gt;</c>.</para>
/// </remarks>
public sealed class IINREstimator : IEstimator<IINRTransformer>
{
    private readonly ContextEnvironment _env;
    private readonly IINROptions _options;

    internal IINREstimator(ContextEnvironment env, IINROptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _env = env;
        _options = options.Clone();
        _options.Validate();
    }

    /// <summary>
    /// Checks that the input has the coordinates and signal columns as known-size vectors of Single
    /// (the sizes are checked by <see cref="Fit"/>) and returns the input plus the output column.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it and the expected type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnRequirements.SingleVector(inputSchema, _options.CoordinatesColumnName, 1, TrainingSet.MaxDims);
        ColumnRequirements.SingleVector(inputSchema, _options.SignalColumnName, 1, TrainingSet.MaxChannels);
        var columns = inputSchema.Where(c => c.Name != _options.OutputColumnName).ToList();
        // SchemaShape.Column's constructor is internal in ML.NET 5.0.1 (see Internal/MLNetInternals).
        columns.Add(new SchemaShape.Column(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
        return new SchemaShape(columns);
    }

    /// <summary>Reads the data and fits the model (this is where the time goes).</summary>
    /// <param name="input">Coordinates and signal, one row per sample.</param>
    /// <returns>The fitted transformer; dispose it to free the weights.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, or of the wrong type or size.</exception>
    /// <exception cref="InvalidOperationException">The data has no rows, holds a NaN or infinite value, a coordinate
    /// outside [−1, 1], inconsistent image annotations, or does not suit <see cref="IINROptions.TrainingScale"/>.</exception>
    /// <exception cref="OperationCanceledException"><see cref="IINROptions.CancellationToken"/> or the MLContext's execution was cancelled.</exception>
    public IINRTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        var schema = input.Schema;
        var coordinates = ColumnRequirements.SingleVector(schema, o.CoordinatesColumnName, 1, TrainingSet.MaxDims);
        var signal = ColumnRequirements.SingleVector(schema, o.SignalColumnName, 1, TrainingSet.MaxChannels);
        int d = coordinates.Size, c = signal.Size;
        var frame = ReadFrame(signal.Column, coordinates.Column, d, c);

        var data = VectorColumnReader.Read(input, coordinates, signal);
        float[] x = data[0], y = data[1];
        int rows = x.Length / d;
        if (rows == 0)
            throw new InvalidOperationException("The training data has no rows.");
        CheckRange(x, d, o.CoordinatesColumnName);

        TrainingSet set;
        AveragePoolOperator? op = null;
        if (o.TrainingScale > 1)
        {
            var f = frame ?? throw new InvalidOperationException(
                $"TrainingScale = {o.TrainingScale} fits through an average over {o.TrainingScale}×{o.TrainingScale} rendered pixels per observed pixel, " +
                $"so the input must be a whole image, but columns '{o.SignalColumnName}' and '{o.CoordinatesColumnName}' carry no image size annotations " +
                $"({IINRAnnotations.ImageWidth}, {IINRAnnotations.ImageHeight}). Load the image with mlContext.Data.LoadFromImage.");
            CheckWholeImage(f, x, rows);
            long fineWidth = (long)f.Width * o.TrainingScale, fineHeight = (long)f.Height * o.TrainingScale;
            SizeLimits.Floats(SizeLimits.Product(fineWidth, fineHeight, 2),
                $"TrainingScale = {o.TrainingScale} renders the {f.Width}×{f.Height} image on a {fineWidth}×{fineHeight} grid, whose coordinate list", nameof(IINROptions.TrainingScale));
            var fine = f.Coordinates((int)fineWidth, (int)fineHeight);
            op = new AveragePoolOperator(f.Width, f.Height, o.TrainingScale);
            set = new TrainingSet(fine, 2, y, c);
        }
        else
        {
            set = new TrainingSet(x, d, y, c);
        }

        return Fitting.Run(_env, set, op, o, frame);
    }

    /// <summary>The image frame from the annotations (signal column first), checked against the columns' sizes; null if there are none.</summary>
    private static ImageFrame? ReadFrame(DataViewSchema.Column signal, DataViewSchema.Column coordinates, int d, int c)
    {
        var column = signal;
        var size = IINRAnnotations.ReadImageSize(signal);
        if (size is null)
        {
            column = coordinates;
            size = IINRAnnotations.ReadImageSize(coordinates);
        }
        if (size is not { } found) return null;
        var (width, height, channels) = found;
        if (d != 2)
            throw new InvalidOperationException(
                $"Column '{column.Name}' has image size annotations ({width}×{height}), but the coordinates in '{coordinates.Name}' are {d}-D; an image needs 2-D coordinates.");
        if (channels is int annotated && annotated != c)
            throw new InvalidOperationException(
                $"Column '{column.Name}' has the annotation {IINRAnnotations.ImageChannels} = {annotated}, but the signal in '{signal.Name}' has {c} values per row.");
        return ImageFrame.Of(width, height, c);
    }

    private static void CheckRange(float[] x, int d, string column)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] is < -1f or > 1f)
                throw new InvalidOperationException(
                    $"Column '{column}' row {i / d} element {i % d} is {x[i].ToString(CultureInfo.InvariantCulture)}: coordinates must lie in [-1, 1] " +
                    "(mlContext.Data.LoadFromImage and PixelGrid map pixel centres there).");
        }
    }

    private void CheckWholeImage(ImageFrame f, float[] x, int rows)
    {
        string why = $"TrainingScale = {_options.TrainingScale} needs the whole {f.Width}×{f.Height} image";
        if (rows != (long)f.Width * f.Height)
            throw new InvalidOperationException($"{why} ({(long)f.Width * f.Height} rows), but the data has {rows} rows.");
        var expected = f.Coordinates(f.Width, f.Height);
        for (int i = 0; i < expected.Length; i++)
        {
            if (MathF.Abs(expected[i] - x[i]) > 1e-6f)
                throw new InvalidOperationException(
                    $"{why} in row-major order, but column '{_options.CoordinatesColumnName}' row {i / 2} holds " +
                    $"({x[i & ~1].ToString(CultureInfo.InvariantCulture)}, {x[i | 1].ToString(CultureInfo.InvariantCulture)}), not the pixel centre " +
                    $"({expected[i & ~1].ToString(CultureInfo.InvariantCulture)}, {expected[i | 1].ToString(CultureInfo.InvariantCulture)}).");
        }
    }
}
