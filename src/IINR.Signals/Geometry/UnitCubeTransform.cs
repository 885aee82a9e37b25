using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// The uniform scale-and-shift that <see cref="TriangleMesh.NormalizeToUnitCube"/> applied:
/// normalised = (original − <see cref="Center"/>) · <see cref="Scale"/>. Kept so that a mesh
/// reconstructed in [-1, 1]³ can be mapped back to the original units.
/// </summary>
/// <param name="Center">Original-space point that maps to the origin (the bounding-box centre).</param>
/// <param name="Scale">Factor applied after centring; positive.</param>
public readonly record struct UnitCubeTransform(Vector3 Center, float Scale)
{
    /// <summary>Maps an original-space point into the normalised cube.</summary>
    public Vector3 ToNormalized(Vector3 original) => (original - Center) * Scale;

    /// <summary>Maps a normalised point back to original space.</summary>
    public Vector3 FromNormalized(Vector3 normalized) => normalized / Scale + Center;

    /// <summary>Maps every vertex of a normalised mesh (for example a reconstruction) back to original space.</summary>
    public TriangleMesh FromNormalized(TriangleMesh normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var transform = this;
        return normalized.MapVertices(transform.FromNormalized);
    }

    /// <summary>Maps every vertex of an original-space mesh into the normalised cube.</summary>
    public TriangleMesh ToNormalized(TriangleMesh original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var transform = this;
        return original.MapVertices(transform.ToNormalized);
    }
}
