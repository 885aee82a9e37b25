namespace IINR.Signals.Geometry;

/// <summary>
/// Points in [-1, 1]³ with their occupancy (1 inside the shape, 0 outside): a training set for an
/// occupancy model in continuous space, or a test set that scores one off any training grid
/// (<see cref="IoU"/>). Built by <see cref="OccupancySampler"/>.
/// </summary>
public sealed class OccupancySamples
{
    /// <summary>Creates a set; the arrays are used as they are (not copied).</summary>
    /// <param name="coordinates">N×3 values (x, y, z per point), finite.</param>
    /// <param name="occupancy">N values, each 0 or 1.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or a value is not finite (coordinates) or not 0/1 (occupancy).</exception>
    public OccupancySamples(float[] coordinates, float[] occupancy)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(occupancy);
        if (coordinates.Length != 3L * occupancy.Length)
            throw new ArgumentException($"{occupancy.Length} points need {3L * occupancy.Length} coordinates (x, y, z each); got {coordinates.Length}.", nameof(coordinates));
        for (int i = 0; i < coordinates.Length; i++)
            if (!float.IsFinite(coordinates[i]))
                throw new ArgumentException($"Coordinate {i % 3} of point {i / 3} is {coordinates[i]}: every coordinate must be finite.", nameof(coordinates));
        for (int i = 0; i < occupancy.Length; i++)
            if (occupancy[i] is not (0f or 1f))
                throw new ArgumentException($"The occupancy of point {i} is {occupancy[i]}, expected 0 or 1.", nameof(occupancy));
        Coordinates = coordinates;
        Occupancy = occupancy;
    }

    /// <summary>N×3 coordinates, point after point.</summary>
    public float[] Coordinates { get; }

    /// <summary>N occupancies: 1 inside, 0 outside.</summary>
    public float[] Occupancy { get; }

    /// <summary>N, the number of points.</summary>
    public int Count => Occupancy.Length;

    /// <summary>Fraction of the points inside the shape.</summary>
    public double InsideFraction
    {
        get
        {
            int inside = 0;
            foreach (float o in Occupancy) if (o > 0.5f) inside++;
            return Count == 0 ? 0 : (double)inside / Count;
        }
    }

    /// <summary>
    /// Intersection over union of <paramref name="predicted"/> (one value per point, in this set's order,
    /// occupied when above <paramref name="threshold"/>) with the true occupancy. On points drawn uniformly
    /// in the box (<see cref="OccupancySampler.Uniform"/>) this is the volumetric IoU occupancy-network papers report.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not <see cref="Count"/>, or a value is NaN.</exception>
    public double IoU(ReadOnlySpan<float> predicted, float threshold = 0.5f)
    {
        if (predicted.Length != Count)
            throw new ArgumentException($"Expected one prediction per point ({Count}); got {predicted.Length}.", nameof(predicted));
        return VolumeMetrics.IoU(predicted, Occupancy, threshold);
    }

    /// <summary>The points of this set followed by those of <paramref name="other"/>.</summary>
    public OccupancySamples Concat(OccupancySamples other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new OccupancySamples([.. Coordinates, .. other.Coordinates], [.. Occupancy, .. other.Occupancy]);
    }
}
