using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// An indexed triangle mesh: a vertex array and a flat array of vertex-index triplets. Triangles are
/// counter-clockwise seen from outside, so for a closed mesh the (a, b, c) normal (b − a) × (c − a)
/// points outward and <see cref="SignedVolume"/> is positive. Immutable: the arrays are copied in and
/// exposed read-only.
/// </summary>
public sealed class TriangleMesh
{
    private readonly Vector3[] _vertices;
    private readonly int[] _triangles;

    /// <summary>Creates a mesh; <paramref name="triangles"/> holds 3 vertex indices per triangle.</summary>
    /// <exception cref="ArgumentException">A coordinate is not finite, the index count is not a multiple of 3 or an index is out of range.</exception>
    public TriangleMesh(ReadOnlySpan<Vector3> vertices, ReadOnlySpan<int> triangles)
        : this(vertices.ToArray(), triangles.ToArray(), validate: true) { }

    /// <summary>Creates a mesh from interleaved x, y, z coordinates and vertex-index triplets.</summary>
    /// <exception cref="ArgumentException">The coordinate count is not a multiple of 3 or the mesh is invalid (see the other constructor).</exception>
    public TriangleMesh(ReadOnlySpan<float> vertexCoordinates, ReadOnlySpan<int> triangles)
        : this(FromCoordinates(vertexCoordinates), triangles.ToArray(), validate: true) { }

    // Takes ownership of the arrays; used by the library's own producers, which build valid meshes.
    internal TriangleMesh(Vector3[] vertices, int[] triangles, bool validate)
    {
        _vertices = vertices;
        _triangles = triangles;
        if (validate) Validate();
        Bounds = vertices.Length == 0 ? default : BoundingBox.Of(vertices);
    }

    /// <summary>Vertex positions.</summary>
    public ReadOnlySpan<Vector3> Vertices => _vertices;

    /// <summary>Vertex indices, three per triangle.</summary>
    public ReadOnlySpan<int> Triangles => _triangles;

    /// <summary>Number of vertices.</summary>
    public int VertexCount => _vertices.Length;

    /// <summary>Number of triangles.</summary>
    public int TriangleCount => _triangles.Length / 3;

    /// <summary>Axis-aligned bounding box of the vertices (all zero for a mesh without vertices).</summary>
    public BoundingBox Bounds { get; }

    internal Vector3[] VertexArray => _vertices;
    internal int[] TriangleArray => _triangles;

    /// <summary>The three vertex indices of triangle <paramref name="triangle"/>.</summary>
    public (int A, int B, int C) GetTriangle(int triangle)
    {
        if ((uint)triangle >= (uint)TriangleCount)
            throw new ArgumentOutOfRangeException(nameof(triangle), triangle, $"The mesh has {TriangleCount} triangles.");
        int k = 3 * triangle;
        return (_triangles[k], _triangles[k + 1], _triangles[k + 2]);
    }

    /// <summary>Vertex coordinates interleaved as x, y, z.</summary>
    public float[] ToCoordinateArray()
    {
        var result = new float[_vertices.Length * 3];
        for (int i = 0; i < _vertices.Length; i++)
        {
            result[3 * i] = _vertices[i].X;
            result[3 * i + 1] = _vertices[i].Y;
            result[3 * i + 2] = _vertices[i].Z;
        }
        return result;
    }

    /// <summary>
    /// Enclosed volume by the divergence theorem: Σ a·(b × c)/6 over triangles, in double precision.
    /// Positive for a closed outward-oriented mesh, negative when inside-out; meaningless for an open mesh.
    /// </summary>
    public double SignedVolume()
    {
        double sum = 0;
        for (int k = 0; k < _triangles.Length; k += 3)
        {
            var a = _vertices[_triangles[k]];
            var b = _vertices[_triangles[k + 1]];
            var c = _vertices[_triangles[k + 2]];
            // Determinant in double: float cancellation would dominate for large, finely tessellated meshes.
            sum += (double)a.X * ((double)b.Y * c.Z - (double)b.Z * c.Y)
                 - (double)a.Y * ((double)b.X * c.Z - (double)b.Z * c.X)
                 + (double)a.Z * ((double)b.X * c.Y - (double)b.Y * c.X);
        }
        return sum / 6.0;
    }

    /// <summary>Total area of the triangles.</summary>
    public double SurfaceArea()
    {
        double sum = 0;
        for (int k = 0; k < _triangles.Length; k += 3)
        {
            var a = _vertices[_triangles[k]];
            var b = _vertices[_triangles[k + 1]];
            var c = _vertices[_triangles[k + 2]];
            sum += 0.5 * Vector3.Cross(b - a, c - a).Length();
        }
        return sum;
    }

    /// <summary>
    /// True when the mesh is closed and consistently oriented: every directed edge a→b occurs exactly
    /// once and its reverse b→a occurs exactly once too (so every undirected edge is shared by exactly two
    /// triangles that traverse it in opposite directions), and no triangle repeats a vertex index.
    /// </summary>
    public bool IsWatertight() => CountDefectiveEdges() == 0;

    /// <summary>
    /// Number of directed edge occurrences that break the <see cref="IsWatertight"/> rule: those without
    /// exactly one opposite twin (holes, flipped triangles) or occurring more than once (non-manifold or
    /// duplicated faces), plus the degenerate edges of triangles that repeat a vertex. Zero for a watertight mesh.
    /// </summary>
    public int CountDefectiveEdges()
    {
        // Sorted directed-edge keys: runs give multiplicities, binary search finds the reverse edge.
        var keys = new long[_triangles.Length];
        int count = 0, defective = 0;
        for (int k = 0; k < _triangles.Length; k += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int from = _triangles[k + e], to = _triangles[k + (e + 1) % 3];
                if (from == to) defective++;
                else keys[count++] = EdgeKey(from, to);
            }
        }
        Array.Sort(keys, 0, count);
        for (int i = 0; i < count;)
        {
            int run = 1;
            while (i + run < count && keys[i + run] == keys[i]) run++;
            int from = (int)(keys[i] >> 32), to = (int)(keys[i] & 0xFFFFFFFF);
            if (run != 1 || Multiplicity(keys, count, EdgeKey(to, from)) != 1) defective += run;
            i += run;
        }
        return defective;
    }

    private static int Multiplicity(long[] sorted, int count, long key)
    {
        int i = Array.BinarySearch(sorted, 0, count, key);
        if (i < 0) return 0;
        int first = i, last = i;
        while (first > 0 && sorted[first - 1] == key) first--;
        while (last + 1 < count && sorted[last + 1] == key) last++;
        return last - first + 1;
    }

    private static long EdgeKey(int from, int to) => ((long)from << 32) | (uint)to;

    /// <summary>
    /// Shifts and uniformly scales the mesh so that its bounding box is centred at the origin and its longest
    /// side spans [−(1 − margin), 1 − margin]; the returned <paramref name="transform"/> maps results back.
    /// </summary>
    /// <param name="margin">Gap left between the mesh and the faces of [-1, 1]³, in [0, 1).</param>
    /// <param name="transform">The mapping that was applied.</param>
    /// <exception cref="InvalidOperationException">The mesh has no vertices or all vertices coincide.</exception>
    public TriangleMesh NormalizeToUnitCube(float margin, out UnitCubeTransform transform)
    {
        if (!(margin >= 0f && margin < 1f))
            throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must lie in [0, 1).");
        if (_vertices.Length == 0) throw new InvalidOperationException("Cannot normalise a mesh without vertices.");
        var size = Bounds.Size;
        float longest = MathF.Max(size.X, MathF.Max(size.Y, size.Z));
        if (!(longest > 0f)) throw new InvalidOperationException("Cannot normalise a mesh whose vertices all coincide.");
        transform = new UnitCubeTransform(Bounds.Center, 2f * (1f - margin) / longest);
        return transform.ToNormalized(this);
    }

    /// <summary>
    /// Applies an affine transform to every vertex. When the transform mirrors space (negative determinant)
    /// the triangle winding is reversed so that the normals of a closed mesh still point outward.
    /// </summary>
    public TriangleMesh Transformed(Matrix4x4 matrix)
    {
        var vertices = new Vector3[_vertices.Length];
        for (int i = 0; i < vertices.Length; i++) vertices[i] = Vector3.Transform(_vertices[i], matrix);
        var triangles = (int[])_triangles.Clone();
        if (matrix.GetDeterminant() < 0f) ReverseWinding(triangles);
        return new TriangleMesh(vertices, triangles, validate: true);
    }

    /// <summary>Applies <paramref name="map"/> to every vertex, keeping the triangles as they are.</summary>
    public TriangleMesh MapVertices(Func<Vector3, Vector3> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var vertices = new Vector3[_vertices.Length];
        for (int i = 0; i < vertices.Length; i++) vertices[i] = map(_vertices[i]);
        return new TriangleMesh(vertices, (int[])_triangles.Clone(), validate: true);
    }

    /// <summary>The same surface with every triangle's winding reversed (normals flipped).</summary>
    public TriangleMesh WithReversedWinding()
    {
        var triangles = (int[])_triangles.Clone();
        ReverseWinding(triangles);
        return new TriangleMesh((Vector3[])_vertices.Clone(), triangles, validate: false);
    }

    /// <summary>A copy without the triangles for which <paramref name="remove"/> returns true (vertices are kept).</summary>
    public TriangleMesh WithoutTriangles(Func<int, bool> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var kept = new List<int>(_triangles.Length);
        for (int t = 0; t < TriangleCount; t++)
        {
            if (remove(t)) continue;
            kept.Add(_triangles[3 * t]);
            kept.Add(_triangles[3 * t + 1]);
            kept.Add(_triangles[3 * t + 2]);
        }
        return new TriangleMesh((Vector3[])_vertices.Clone(), kept.ToArray(), validate: false);
    }

    private static void ReverseWinding(int[] triangles)
    {
        for (int k = 0; k < triangles.Length; k += 3)
            (triangles[k + 1], triangles[k + 2]) = (triangles[k + 2], triangles[k + 1]);
    }

    private void Validate()
    {
        for (int i = 0; i < _vertices.Length; i++)
        {
            var v = _vertices[i];
            if (!float.IsFinite(v.X) || !float.IsFinite(v.Y) || !float.IsFinite(v.Z))
                throw new ArgumentException($"Vertex {i} has a non-finite coordinate {v}.", "vertices");
        }
        if (_triangles.Length % 3 != 0)
            throw new ArgumentException($"The triangle index count {_triangles.Length} is not a multiple of 3.", "triangles");
        for (int k = 0; k < _triangles.Length; k++)
        {
            if ((uint)_triangles[k] >= (uint)_vertices.Length)
                throw new ArgumentException(
                    $"Triangle {k / 3} refers to vertex {_triangles[k]}, but the mesh has {_vertices.Length} vertices.", "triangles");
        }
    }

    private static Vector3[] FromCoordinates(ReadOnlySpan<float> coordinates)
    {
        if (coordinates.Length % 3 != 0)
            throw new ArgumentException($"The coordinate count {coordinates.Length} is not a multiple of 3.", nameof(coordinates));
        var vertices = new Vector3[coordinates.Length / 3];
        for (int i = 0; i < vertices.Length; i++)
            vertices[i] = new Vector3(coordinates[3 * i], coordinates[3 * i + 1], coordinates[3 * i + 2]);
        return vertices;
    }
}
