using IINR.Signals.Geometry;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Occupancy quality: intersection over union of the occupied points (voxel centres or points off any grid), a point
/// counting as occupied when its value is above <see cref="Threshold"/> (the math is <see cref="VolumeMetrics.IoU(ReadOnlySpan{float}, ReadOnlySpan{float}, float)"/>).
/// </summary>
public sealed class OccupancyMetrics
{
    /// <summary>The usual threshold, 0.5 (the paper's IoU at 0.5).</summary>
    public const float DefaultThreshold = 0.5f;

    private OccupancyMetrics(double iou, float threshold, long count)
    {
        IoU = iou;
        Threshold = threshold;
        Count = count;
    }

    /// <summary>|A ∩ B| / |A ∪ B| of the reference and reconstructed occupied sets; 1 when both are empty.</summary>
    public double IoU { get; }

    /// <summary>The occupancy threshold used.</summary>
    public float Threshold { get; }

    /// <summary>Points (voxels) compared.</summary>
    public long Count { get; }

    /// <inheritdoc/>
    public override string ToString() => FormattableString.Invariant($"IoU {IoU:F4} at {Threshold} ({Count} points)");

    /// <summary>Compares two occupancy fields of equal length.</summary>
    /// <param name="reference">The ground truth (e.g. 0/1).</param>
    /// <param name="reconstruction">The values to judge.</param>
    /// <param name="threshold">A value above it counts as occupied.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN.</exception>
    public static OccupancyMetrics FromArrays(ReadOnlySpan<float> reference, ReadOnlySpan<float> reconstruction, float threshold = DefaultThreshold)
    {
        if (!float.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite.");
        return new OccupancyMetrics(VolumeMetrics.IoU(reference, reconstruction, threshold), threshold, reference.Length);
    }

    /// <summary>Compares the signal and reconstruction columns of a scored data view, both <c>Vector&lt;Single, 1&gt;</c>.</summary>
    /// <param name="data">The scored data (e.g. from <c>LoadFromOccupancy</c> through an <see cref="IINRTransformer"/>).</param>
    /// <param name="threshold">A value above it counts as occupied.</param>
    /// <param name="signalColumnName">The reference occupancy column.</param>
    /// <param name="reconstructionColumnName">The reconstruction column.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or not <c>Vector&lt;Single, 1&gt;</c>.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite.</exception>
    public static OccupancyMetrics FromDataView(IDataView data, float threshold = DefaultThreshold,
        string signalColumnName = "Signal", string reconstructionColumnName = "Reconstruction")
    {
        ArgumentNullException.ThrowIfNull(data);
        var signal = ColumnRequirements.SingleVector(data.Schema, signalColumnName, 1, 1);
        var reconstruction = ColumnRequirements.SingleVector(data.Schema, reconstructionColumnName, 1, 1);
        var values = VectorColumnReader.Read(data, signal, reconstruction);
        return FromArrays(values[0], values[1], threshold);
    }
}
