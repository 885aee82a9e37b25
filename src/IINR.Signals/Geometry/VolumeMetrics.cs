namespace IINR.Signals.Geometry;

/// <summary>Comparisons of occupancy volumes.</summary>
public static class VolumeMetrics
{
    /// <summary>
    /// Intersection over union |A ∩ B| / |A ∪ B| of two occupancy masks of equal length; 1 when both are empty
    /// (two empty shapes agree perfectly).
    /// </summary>
    public static double IoU(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b)
    {
        CheckLengths(a.Length, b.Length);
        long intersection = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] & b[i]) intersection++;
            if (a[i] | b[i]) union++;
        }
        return union == 0 ? 1.0 : (double)intersection / union;
    }

    /// <summary>IoU of two soft occupancy fields, a voxel counting as occupied when its value is above <paramref name="threshold"/>.</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a value is NaN.</exception>
    public static double IoU(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float threshold = 0.5f)
    {
        CheckLengths(a.Length, b.Length);
        long intersection = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNaN(a[i]) || float.IsNaN(b[i])) throw new ArgumentException($"Value {i} is NaN.");
            bool inA = a[i] > threshold, inB = b[i] > threshold;
            if (inA & inB) intersection++;
            if (inA | inB) union++;
        }
        return union == 0 ? 1.0 : (double)intersection / union;
    }

    /// <summary>IoU of two occupancy volumes of the same size.</summary>
    public static double IoU(OccupancyVolume a, OccupancyVolume b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.SizeX != b.SizeX || a.SizeY != b.SizeY || a.SizeZ != b.SizeZ)
            throw new ArgumentException($"Volumes differ in size: {a.SizeX}×{a.SizeY}×{a.SizeZ} vs {b.SizeX}×{b.SizeY}×{b.SizeZ}.");
        return IoU(a.Occupied, b.Occupied);
    }

    private static void CheckLengths(int a, int b)
    {
        if (a != b) throw new ArgumentException($"The volumes have different lengths: {a} vs {b}.");
    }
}
