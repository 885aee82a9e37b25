namespace IINR.Trainers;

/// <summary>
/// What a model is fitted to: N coordinates of D values in [-1, 1] and the observed signal, M rows
/// of C values (M = N, or a measurement operator's output count). Validated on construction, so
/// bad data never reaches libtorch.
/// </summary>
public sealed class TrainingSet
{
    /// <summary>Largest supported coordinate dimension.</summary>
    public const int MaxDims = 3;

    /// <summary>Largest supported channel count.</summary>
    public const int MaxChannels = 64;

    /// <summary>Creates a training set; the arrays are not copied.</summary>
    /// <param name="coordinates">N×D values, row-major.</param>
    /// <param name="dims">D, 1 to 3.</param>
    /// <param name="signal">M×C values, row-major.</param>
    /// <param name="channels">C, 1 to 64.</param>
    public TrainingSet(float[] coordinates, int dims, float[] signal, int channels)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(signal);
        if (dims < 1 || dims > MaxDims)
            throw new ArgumentOutOfRangeException(nameof(dims), dims, $"Coordinate dimension D must be 1, 2 or 3; got {dims}.");
        if (channels < 1 || channels > MaxChannels)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"Channel count C must be between 1 and {MaxChannels}; got {channels}.");
        if (coordinates.Length == 0)
            throw new ArgumentException("There are no coordinates to fit.", nameof(coordinates));
        if (coordinates.Length % dims != 0)
            throw new ArgumentException($"The coordinates hold {coordinates.Length} values, not a multiple of D = {dims}.", nameof(coordinates));
        if (signal.Length % channels != 0)
            throw new ArgumentException($"The signal holds {signal.Length} values, not a multiple of C = {channels}.", nameof(signal));
        CheckFinite(coordinates, dims, nameof(coordinates));
        CheckFinite(signal, channels, nameof(signal));
        Coordinates = coordinates;
        Dims = dims;
        Signal = signal;
        Channels = channels;
    }

    /// <summary>N×D coordinates.</summary>
    public float[] Coordinates { get; }
    /// <summary>D.</summary>
    public int Dims { get; }
    /// <summary>M×C signal values.</summary>
    public float[] Signal { get; }
    /// <summary>C.</summary>
    public int Channels { get; }
    /// <summary>N.</summary>
    public int CoordinateCount => Coordinates.Length / Dims;
    /// <summary>M.</summary>
    public int SignalCount => Signal.Length / Channels;

    internal static void CheckFinite(ReadOnlySpan<float> values, int width, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name} row {i / width}, value {i % width} is {values[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}: every value must be finite.", name);
        }
    }
}
