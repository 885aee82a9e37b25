using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// Small generated closed meshes (default data and tests). Every shape is watertight, outward-oriented
/// (positive <see cref="TriangleMesh.SignedVolume"/>), centred at the origin and, with the default
/// arguments, fits inside [-1, 1]³ with 1,000–5,000 triangles. Generation is deterministic.
/// </summary>
public static class Shapes
{
    /// <summary>Latitude–longitude sphere with single pole vertices: 2·segments·(rings − 1) triangles (2,208 by default).</summary>
    /// <param name="radius">Sphere radius.</param>
    /// <param name="segments">Vertices around each latitude ring, at least 3.</param>
    /// <param name="rings">Latitude bands from pole to pole, at least 2.</param>
    public static TriangleMesh UvSphere(float radius = 0.8f, int segments = 48, int rings = 24)
    {
        CheckPositive(radius, nameof(radius));
        if (segments < 3) throw new ArgumentOutOfRangeException(nameof(segments), segments, "At least 3 segments are needed.");
        if (rings < 2) throw new ArgumentOutOfRangeException(nameof(rings), rings, "At least 2 rings are needed.");
        var vertices = new List<Vector3> { new(0, 0, radius) };
        for (int i = 1; i < rings; i++)
        {
            double theta = Math.PI * i / rings;
            for (int j = 0; j < segments; j++)
            {
                double phi = 2 * Math.PI * j / segments;
                vertices.Add(new Vector3(
                    (float)(radius * Math.Sin(theta) * Math.Cos(phi)),
                    (float)(radius * Math.Sin(theta) * Math.Sin(phi)),
                    (float)(radius * Math.Cos(theta))));
            }
        }
        int south = vertices.Count;
        vertices.Add(new Vector3(0, 0, -radius));

        int Ring(int i, int j) => 1 + (i - 1) * segments + j % segments;
        var triangles = new List<int>();
        for (int j = 0; j < segments; j++)
        {
            triangles.AddRange([0, Ring(1, j), Ring(1, j + 1)]);
            for (int i = 1; i + 1 < rings; i++)
                AddQuad(triangles, Ring(i, j), Ring(i + 1, j), Ring(i + 1, j + 1), Ring(i, j + 1));
            triangles.AddRange([south, Ring(rings - 1, j + 1), Ring(rings - 1, j)]);
        }
        return new TriangleMesh(vertices.ToArray(), triangles.ToArray(), validate: false);
    }

    /// <summary>
    /// Geodesic sphere: an icosahedron whose triangles are split in four <paramref name="subdivisions"/> times,
    /// new vertices pushed onto the sphere; 20·4^subdivisions triangles (1,280 by default).
    /// </summary>
    public static TriangleMesh IcoSphere(float radius = 0.8f, int subdivisions = 3)
    {
        CheckPositive(radius, nameof(radius));
        if (subdivisions < 0 || subdivisions > 7)
            throw new ArgumentOutOfRangeException(nameof(subdivisions), subdivisions, "Subdivisions must lie in 0..7.");
        float g = (1f + MathF.Sqrt(5f)) / 2f;
        var vertices = new List<Vector3>
        {
            new(-1, g, 0), new(1, g, 0), new(-1, -g, 0), new(1, -g, 0),
            new(0, -1, g), new(0, 1, g), new(0, -1, -g), new(0, 1, -g),
            new(g, 0, -1), new(g, 0, 1), new(-g, 0, -1), new(-g, 0, 1),
        };
        for (int i = 0; i < vertices.Count; i++) vertices[i] = Vector3.Normalize(vertices[i]);
        int[] faces =
        [
            0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11,
            1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
            3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9,
            4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
        ];
        for (int s = 0; s < subdivisions; s++)
        {
            // Midpoints are shared between the two triangles of an edge, keyed by the vertex pair.
            var midpoints = new Dictionary<(int, int), int>();
            int Midpoint(int a, int b)
            {
                var key = a < b ? (a, b) : (b, a);
                if (!midpoints.TryGetValue(key, out int m))
                {
                    m = vertices.Count;
                    vertices.Add(Vector3.Normalize(vertices[a] + vertices[b]));
                    midpoints.Add(key, m);
                }
                return m;
            }
            var refined = new int[faces.Length * 4];
            for (int k = 0, o = 0; k < faces.Length; k += 3)
            {
                int a = faces[k], b = faces[k + 1], c = faces[k + 2];
                int ab = Midpoint(a, b), bc = Midpoint(b, c), ca = Midpoint(c, a);
                foreach (int v in (ReadOnlySpan<int>)[a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca]) refined[o++] = v;
            }
            faces = refined;
        }
        var scaled = vertices.Select(v => v * radius).ToArray();
        return new TriangleMesh(scaled, faces, validate: false);
    }

    /// <summary>
    /// Axis-aligned box with each face split into a <paramref name="divisions"/>² grid of quads (vertices shared
    /// along the box edges): 12·divisions² triangles (3,072 by default).
    /// </summary>
    /// <param name="halfExtents">Half the side lengths; the box spans −halfExtents..halfExtents.</param>
    /// <param name="divisions">Quads along each box edge, at least 1.</param>
    public static TriangleMesh Box(Vector3 halfExtents, int divisions = 16)
    {
        CheckPositive(halfExtents.X, nameof(halfExtents));
        CheckPositive(halfExtents.Y, nameof(halfExtents));
        CheckPositive(halfExtents.Z, nameof(halfExtents));
        if (divisions < 1 || divisions > 1024) throw new ArgumentOutOfRangeException(nameof(divisions), divisions, "Divisions must lie in 1..1024.");
        int n = divisions;
        var vertices = new List<Vector3>();
        var lattice = new Dictionary<int, int>(); // surface lattice point (i, j, k) ∈ [0, n]³ → vertex
        int Vertex(Span<int> ijk)
        {
            int key = (ijk[2] * (n + 1) + ijk[1]) * (n + 1) + ijk[0];
            if (!lattice.TryGetValue(key, out int v))
            {
                v = vertices.Count;
                vertices.Add(new Vector3(
                    halfExtents.X * (2f * ijk[0] / n - 1f),
                    halfExtents.Y * (2f * ijk[1] / n - 1f),
                    halfExtents.Z * (2f * ijk[2] / n - 1f)));
                lattice.Add(key, v);
            }
            return v;
        }
        var triangles = new List<int>();
        Span<int> ijk = stackalloc int[3];
        Span<int> quad = stackalloc int[4];
        for (int axis = 0; axis < 3; axis++)
        {
            int u = (axis + 1) % 3, v = (axis + 2) % 3; // e_u × e_v = e_axis
            for (int side = 0; side < 2; side++)
            {
                for (int a = 0; a < n; a++)
                {
                    for (int b = 0; b < n; b++)
                    {
                        // Corners (a,b) (a+1,b) (a+1,b+1) (a,b+1) turn counter-clockwise about +axis.
                        ReadOnlySpan<int> du = [0, 1, 1, 0], dv = [0, 0, 1, 1];
                        for (int c = 0; c < 4; c++)
                        {
                            ijk[axis] = side * n;
                            ijk[u] = a + du[c];
                            ijk[v] = b + dv[c];
                            quad[c] = Vertex(ijk);
                        }
                        if (side == 1) AddQuad(triangles, quad[0], quad[1], quad[2], quad[3]);
                        else AddQuad(triangles, quad[3], quad[2], quad[1], quad[0]);
                    }
                }
            }
        }
        return new TriangleMesh(vertices.ToArray(), triangles.ToArray(), validate: false);
    }

    /// <summary>Cube of side 2·<paramref name="halfSide"/>; see <see cref="Box"/>.</summary>
    public static TriangleMesh Cube(float halfSide = 0.6f, int divisions = 16) => Box(new Vector3(halfSide), divisions);

    /// <summary>
    /// Ring torus around the z axis: 2·majorSegments·minorSegments triangles (3,072 by default); its exact
    /// volume is 2π²·major·minor² (the polygonal mesh encloses slightly less).
    /// </summary>
    /// <param name="majorRadius">Distance from the centre to the tube axis.</param>
    /// <param name="minorRadius">Tube radius, smaller than <paramref name="majorRadius"/>.</param>
    /// <param name="majorSegments">Steps around the z axis, at least 3.</param>
    /// <param name="minorSegments">Steps around the tube, at least 3.</param>
    public static TriangleMesh Torus(float majorRadius = 0.6f, float minorRadius = 0.25f, int majorSegments = 64, int minorSegments = 24)
    {
        CheckPositive(majorRadius, nameof(majorRadius));
        CheckPositive(minorRadius, nameof(minorRadius));
        if (minorRadius >= majorRadius)
            throw new ArgumentOutOfRangeException(nameof(minorRadius), minorRadius, "The tube radius must be smaller than the major radius.");
        return Tube(majorSegments, minorSegments, minorRadius, t =>
        {
            var centre = new Vector3(majorRadius * MathF.Cos(t), majorRadius * MathF.Sin(t), 0f);
            var normal = new Vector3(MathF.Cos(t), MathF.Sin(t), 0f);
            return (centre, normal, -Vector3.UnitZ); // normal × (−z) is the direction of travel
        });
    }

    /// <summary>
    /// A tube of radius <paramref name="tubeRadius"/> around the (p, q) torus knot
    /// ((2 + cos qt)·cos pt, (2 + cos qt)·sin pt, sin qt)·<paramref name="scale"/> — a trefoil for (2, 3).
    /// It has genus one, a knotted hole and thin parts close to each other, which makes it a harder test for
    /// inside/outside classification than convex shapes. 2·segments·tubeSegments triangles (49,152 by default, so
    /// the tube is round: a facet's middle lies 0.2% of the radius inside the circle; with 12 sides it lay 3.4%
    /// inside, creases that a smooth occupancy model rounds off and was scored against).
    /// </summary>
    /// <param name="p">Turns around the torus axis; coprime with <paramref name="q"/>.</param>
    /// <param name="q">Turns through the torus hole.</param>
    /// <param name="scale">Factor applied to the curve (the knot extends to about 3·scale from its centre).</param>
    /// <param name="tubeRadius">Tube radius, in the same units as the output; must stay below the strands' gap.</param>
    /// <param name="segments">Steps along the knot, at least 3.</param>
    /// <param name="tubeSegments">Steps around the tube, at least 3.</param>
    public static TriangleMesh TorusKnot(int p = 2, int q = 3, float scale = 0.27f, float tubeRadius = 0.12f, int segments = 512, int tubeSegments = 48)
    {
        if (p < 1) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be positive.");
        if (q < 1) throw new ArgumentOutOfRangeException(nameof(q), q, "q must be positive.");
        CheckPositive(scale, nameof(scale));
        CheckPositive(tubeRadius, nameof(tubeRadius));
        Vector3 Curve(double t) => new(
            (float)(scale * (2 + Math.Cos(q * t)) * Math.Cos(p * t)),
            (float)(scale * (2 + Math.Cos(q * t)) * Math.Sin(p * t)),
            (float)(scale * Math.Sin(q * t)));
        return Tube(segments, tubeSegments, tubeRadius, t =>
        {
            // Frenet frame from central differences: periodic in t, so the tube closes without a seam.
            const double h = 1e-3;
            var c = Curve(t);
            var d1 = Curve(t + h) - Curve(t - h);
            var d2 = Curve(t + h) - 2 * c + Curve(t - h);
            var tangent = Vector3.Normalize(d1);
            var normal = Vector3.Normalize(d2 - Vector3.Dot(d2, tangent) * tangent);
            return (c, normal, Vector3.Cross(tangent, normal));
        });
    }

    // A closed tube: ring i sits at frame(2πi/segments) = (centre, n, b), its vertex j at centre +
    // radius·(cos φ·n + sin φ·b). With n × b pointing along increasing i the quads below face outward.
    private static TriangleMesh Tube(int segments, int tubeSegments, float radius, Func<float, (Vector3 Centre, Vector3 N, Vector3 B)> frame)
    {
        if (segments < 3) throw new ArgumentOutOfRangeException(nameof(segments), segments, "At least 3 segments are needed.");
        if (tubeSegments < 3) throw new ArgumentOutOfRangeException(nameof(tubeSegments), tubeSegments, "At least 3 tube segments are needed.");
        var vertices = new Vector3[segments * tubeSegments];
        for (int i = 0; i < segments; i++)
        {
            var (centre, n, b) = frame((float)(2 * Math.PI * i / segments));
            for (int j = 0; j < tubeSegments; j++)
            {
                double phi = 2 * Math.PI * j / tubeSegments;
                vertices[i * tubeSegments + j] = centre + radius * ((float)Math.Cos(phi) * n + (float)Math.Sin(phi) * b);
            }
        }
        int V(int i, int j) => (i % segments) * tubeSegments + j % tubeSegments;
        var triangles = new List<int>(6 * segments * tubeSegments);
        for (int i = 0; i < segments; i++)
            for (int j = 0; j < tubeSegments; j++)
                AddQuad(triangles, V(i, j), V(i, j + 1), V(i + 1, j + 1), V(i + 1, j));
        return new TriangleMesh(vertices, triangles.ToArray(), validate: false);
    }

    // Quad a-b-c-d (counter-clockwise seen from outside) as two triangles.
    private static void AddQuad(List<int> triangles, int a, int b, int c, int d) =>
        triangles.AddRange([a, b, c, a, c, d]);

    private static void CheckPositive(float value, string name)
    {
        if (!(value > 0f) || !float.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, "Must be positive and finite.");
    }
}
