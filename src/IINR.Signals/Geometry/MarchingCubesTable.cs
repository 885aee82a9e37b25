namespace IINR.Signals.Geometry;

/// <summary>
/// The 256-case triangle table of <see cref="MarchingCubes"/>, generated at start-up instead of typed in.
/// For each inside/outside pattern of the 8 cube corners, the surface's boundary on each cube face is a set
/// of segments between crossed face edges; following them around the cube gives closed loops that are then
/// triangulated. Faces with two diagonal inside corners are ambiguous; they are always resolved the same way
/// (each inside corner cut off on its own). That choice depends only on the 4 corner values of the face, so
/// the two cubes sharing a face draw identical segments and the surface has no cracks — unlike the classic
/// 15-case Lorensen–Cline table, which treats a pattern and its complement alike and so can split an
/// ambiguous face differently in the two cubes, leaving holes (Dürst 1988).
/// </summary>
internal static class MarchingCubesTable
{
    /// <summary>Corner c sits at offset (c &amp; 1, (c &gt;&gt; 1) &amp; 1, (c &gt;&gt; 2) &amp; 1) in the cube.</summary>
    public static readonly int[] CornerOffsetX = [0, 1, 0, 1, 0, 1, 0, 1];
    /// <inheritdoc cref="CornerOffsetX"/>
    public static readonly int[] CornerOffsetY = [0, 0, 1, 1, 0, 0, 1, 1];
    /// <inheritdoc cref="CornerOffsetX"/>
    public static readonly int[] CornerOffsetZ = [0, 0, 0, 0, 1, 1, 1, 1];

    /// <summary>Edge e joins corner EdgeStart[e] to EdgeStart[e] + (1 &lt;&lt; EdgeAxis[e]) (from low to high).</summary>
    public static readonly int[] EdgeStart = new int[12];
    /// <inheritdoc cref="EdgeStart"/>
    public static readonly int[] EdgeAxis = new int[12];

    /// <summary>Per case: triangle corners, 3 per triangle; 0–11 are cube edges, 12 + j the centre of loop j.</summary>
    public static readonly int[][] Triangles = new int[256][];

    /// <summary>Per case: the edge loops whose centre is used as an extra vertex (index j ↔ slot 12 + j).</summary>
    public static readonly int[][][] CentreLoops = new int[256][][];

    /// <summary>Slot numbers from this value on denote loop centres rather than edges.</summary>
    public const int FirstCentreSlot = 12;

    static MarchingCubesTable()
    {
        var edgeOf = new int[8, 8];
        int count = 0;
        for (int c = 0; c < 8; c++)
        {
            for (int axis = 0; axis < 3; axis++)
            {
                if ((c & (1 << axis)) != 0) continue;
                EdgeStart[count] = c;
                EdgeAxis[count] = axis;
                edgeOf[c, c | (1 << axis)] = edgeOf[c | (1 << axis), c] = count;
                count++;
            }
        }

        // Face rings, counter-clockwise seen from outside the cube.
        var rings = new int[6][];
        for (int axis = 0; axis < 3; axis++)
        {
            int u = (axis + 1) % 3, v = (axis + 2) % 3;
            for (int side = 0; side < 2; side++)
            {
                // (0,0) (1,0) (1,1) (0,1) in (u, v) turns counter-clockwise about +axis (e_u × e_v = e_axis).
                int[] ring = [0, 1 << u, (1 << u) | (1 << v), 1 << v];
                for (int k = 0; k < 4; k++) ring[k] |= side << axis;
                if (side == 0) Array.Reverse(ring);
                rings[2 * axis + side] = ring;
            }
        }

        for (int mask = 0; mask < 256; mask++) BuildCase(mask, rings, edgeOf);
    }

    private static void BuildCase(int mask, int[][] rings, int[,] edgeOf)
    {
        bool Inside(int corner) => (mask & (1 << corner)) != 0;
        var next = new int[12];
        Array.Fill(next, -1);
        var onAmbiguousFace = new bool[12];
        Span<int> ringEdges = stackalloc int[4];
        Span<int> kinds = stackalloc int[4]; // 0 no crossing, +1 entering the inside, −1 leaving it

        foreach (var ring in rings)
        {
            int crossings = 0;
            for (int k = 0; k < 4; k++)
            {
                int a = ring[k], b = ring[(k + 1) % 4];
                ringEdges[k] = edgeOf[a, b];
                kinds[k] = Inside(a) == Inside(b) ? 0 : Inside(b) ? 1 : -1;
                if (kinds[k] != 0) crossings++;
            }
            // Walking the ring counter-clockwise (seen from outside), a segment runs from where the ring
            // enters the inside to the next place it leaves. This cuts off each inside corner separately on
            // ambiguous faces and orients loops counter-clockwise seen from the outside region, so triangle
            // normals point from high values (inside) to low values (outside).
            for (int k = 0; k < 4; k++)
            {
                if (kinds[k] != 1) continue;
                int m = (k + 1) % 4;
                while (kinds[m] != -1) m = (m + 1) % 4;
                next[ringEdges[k]] = ringEdges[m];
            }
            if (crossings == 4)
                for (int k = 0; k < 4; k++) onAmbiguousFace[ringEdges[k]] = true;
        }

        var triangles = new List<int>();
        var centreLoops = new List<int[]>();
        var visited = new bool[12];
        for (int start = 0; start < 12; start++)
        {
            if (next[start] < 0 || visited[start]) continue;
            var loop = new List<int>();
            for (int e = start; !visited[e]; e = next[e])
            {
                visited[e] = true;
                loop.Add(e);
            }
            if (loop.Count == 3)
            {
                triangles.AddRange(loop);
            }
            else if (!loop.Exists(e => onAmbiguousFace[e]))
            {
                // A fan from the first corner: its diagonals join edges that share no cube face, so no
                // neighbouring cube can produce the same vertex pair and every mesh edge stays two-sided.
                for (int i = 1; i + 1 < loop.Count; i++) triangles.AddRange([loop[0], loop[i], loop[i + 1]]);
            }
            else
            {
                // Near an ambiguous face a fan diagonal could join two vertices of that face that the
                // neighbouring cube also joins; a fan around the loop's own centre vertex cannot.
                int slot = FirstCentreSlot + centreLoops.Count;
                centreLoops.Add(loop.ToArray());
                for (int i = 0; i < loop.Count; i++) triangles.AddRange([loop[i], loop[(i + 1) % loop.Count], slot]);
            }
        }
        Triangles[mask] = triangles.ToArray();
        CentreLoops[mask] = centreLoops.ToArray();
    }
}
