using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>An axis-aligned box given by its minimum and maximum corners.</summary>
/// <param name="Min">Smallest x, y and z.</param>
/// <param name="Max">Largest x, y and z.</param>
public readonly record struct BoundingBox(Vector3 Min, Vector3 Max)
{
    /// <summary>Centre of the box.</summary>
    public Vector3 Center => (Min + Max) * 0.5f;

    /// <summary>Edge lengths along x, y and z.</summary>
    public Vector3 Size => Max - Min;

    /// <summary>True when <paramref name="point"/> lies in the box (faces included).</summary>
    public bool Contains(Vector3 point) =>
        point.X >= Min.X && point.Y >= Min.Y && point.Z >= Min.Z &&
        point.X <= Max.X && point.Y <= Max.Y && point.Z <= Max.Z;

    /// <summary>The smallest box holding every point; throws when there are none.</summary>
    public static BoundingBox Of(ReadOnlySpan<Vector3> points)
    {
        if (points.IsEmpty) throw new ArgumentException("A bounding box needs at least one point.", nameof(points));
        Vector3 min = points[0], max = points[0];
        foreach (var p in points)
        {
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }
        return new BoundingBox(min, max);
    }
}
