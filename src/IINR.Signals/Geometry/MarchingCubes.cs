using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// Extracts an isosurface from a scalar field sampled at the voxel centres of the <see cref="VoxelGrid"/>
/// convention (index = (z·Ny + y)·Nx + x, voxel i at −1 + (2i + 1)/N). Values above the level are inside;
/// triangles are oriented with normals pointing towards lower values (outward for occupancy or winding
/// number fields), so a closed surface has positive <see cref="TriangleMesh.SignedVolume"/>.
/// <para>
/// The output is watertight by construction: vertices are shared per grid edge (welded by edge index), the
/// case table (<see cref="MarchingCubesTable"/>) resolves ambiguous faces consistently between neighbouring
/// cubes, and the field is padded with one layer of outside values so that surfaces touching the border of
/// the grid are closed there (border vertices then lie up to half a voxel outside [-1, 1]).
/// </para>
/// </summary>
public static class MarchingCubes
{
    /// <summary>Isosurface at <paramref name="level"/> of a cubic field of <paramref name="resolution"/>³ values.</summary>
    public static TriangleMesh Extract(ReadOnlySpan<float> field, int resolution, float level = 0.5f) =>
        Extract(field, resolution, resolution, resolution, level);

    /// <summary>The boundary of the occupied voxels (the 0.5 isosurface of the 0/1 occupancy).</summary>
    public static TriangleMesh Extract(OccupancyVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return Extract(volume.ToFloatArray(), volume.SizeX, volume.SizeY, volume.SizeZ, 0.5f);
    }

    /// <summary>Isosurface at <paramref name="level"/> of a field of <paramref name="sizeX"/>×<paramref name="sizeY"/>×<paramref name="sizeZ"/> values.</summary>
    /// <exception cref="ArgumentException">The field has the wrong length or holds NaN or infinite values.</exception>
    public static TriangleMesh Extract(ReadOnlySpan<float> field, int sizeX, int sizeY, int sizeZ, float level = 0.5f)
    {
        if (sizeX < 1 || sizeY < 1 || sizeZ < 1)
            throw new ArgumentOutOfRangeException(nameof(sizeX), $"Sizes must be positive, got {sizeX}×{sizeY}×{sizeZ}.");
        if (field.Length != (long)sizeX * sizeY * sizeZ)
            throw new ArgumentException($"Expected {sizeX}×{sizeY}×{sizeZ} = {(long)sizeX * sizeY * sizeZ} values, got {field.Length}.", nameof(field));
        if (!float.IsFinite(level)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be finite.");

        float max = float.NegativeInfinity;
        for (int i = 0; i < field.Length; i++)
        {
            if (!float.IsFinite(field[i])) throw new ArgumentException($"Field value {i} is {field[i]}; values must be finite.", nameof(field));
            max = MathF.Max(max, field[i]);
        }
        // Pad with the mirror of the largest value about the level, so a border voxel at the maximum puts
        // its closing vertex halfway to the padding; any value at or below the level would close the surface.
        float pad = max > level ? level - (max - level) : level - 1f;
        if (!float.IsFinite(pad)) pad = float.MinValue;

        int px = sizeX + 2, py = sizeY + 2, pz = sizeZ + 2;
        var padded = new float[checked(px * py * pz)];
        Array.Fill(padded, pad);
        for (int z = 0; z < sizeZ; z++)
            for (int y = 0; y < sizeY; y++)
                field.Slice(VoxelGrid.Index(0, y, z, sizeX, sizeY), sizeX).CopyTo(padded.AsSpan(((z + 1) * py + y + 1) * px + 1, sizeX));

        // Padded index p is voxel p − 1, centred at −1 + (2p − 1)/N.
        var coordX = PaddedCoordinates(sizeX);
        var coordY = PaddedCoordinates(sizeY);
        var coordZ = PaddedCoordinates(sizeZ);

        var vertices = new List<Vector3>();
        var triangles = new List<int>();
        var edgeVertex = new Dictionary<long, int>();
        Span<float> corner = stackalloc float[8];
        Span<int> slotVertex = stackalloc int[12 + 12];
        Span<int> cornerOffset = stackalloc int[8];
        for (int c = 0; c < 8; c++)
            cornerOffset[c] = (MarchingCubesTable.CornerOffsetZ[c] * py + MarchingCubesTable.CornerOffsetY[c]) * px + MarchingCubesTable.CornerOffsetX[c];

        for (int k = 0; k + 1 < pz; k++)
        {
            for (int j = 0; j + 1 < py; j++)
            {
                for (int i = 0; i + 1 < px; i++)
                {
                    int baseIndex = (k * py + j) * px + i;
                    int mask = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        corner[c] = padded[baseIndex + cornerOffset[c]];
                        if (corner[c] > level) mask |= 1 << c;
                    }
                    if (mask == 0 || mask == 255) continue;

                    slotVertex.Fill(-1);
                    var table = MarchingCubesTable.Triangles[mask];
                    var loops = MarchingCubesTable.CentreLoops[mask];
                    foreach (int slot in table)
                    {
                        if (slot >= MarchingCubesTable.FirstCentreSlot || slotVertex[slot] >= 0) continue;
                        slotVertex[slot] = EdgeVertex(slot, i, j, k, corner, level);
                    }
                    for (int l = 0; l < loops.Length; l++)
                    {
                        var sum = Vector3.Zero;
                        foreach (int e in loops[l]) sum += vertices[slotVertex[e]];
                        slotVertex[MarchingCubesTable.FirstCentreSlot + l] = vertices.Count;
                        vertices.Add(sum / loops[l].Length);
                    }
                    foreach (int slot in table) triangles.Add(slotVertex[slot]);
                }
            }
        }
        return new TriangleMesh(vertices.ToArray(), triangles.ToArray(), validate: false);

        int EdgeVertex(int edge, int i, int j, int k, ReadOnlySpan<float> corner, float level)
        {
            int start = MarchingCubesTable.EdgeStart[edge], axis = MarchingCubesTable.EdgeAxis[edge];
            int sx = i + MarchingCubesTable.CornerOffsetX[start];
            int sy = j + MarchingCubesTable.CornerOffsetY[start];
            int sz = k + MarchingCubesTable.CornerOffsetZ[start];
            // Welding key: the edge's low grid point and its axis, the same from all four cubes around it.
            long key = ((long)(sz * py + sy) * px + sx) * 3 + axis;
            if (edgeVertex.TryGetValue(key, out int existing)) return existing;

            float a = corner[start], b = corner[start | (1 << axis)];
            float t = (level - a) / (b - a); // a and b lie on opposite sides of the level, so b ≠ a
            var p = new Vector3(coordX[sx], coordY[sy], coordZ[sz]);
            var q = new Vector3(
                axis == 0 ? coordX[sx + 1] : p.X,
                axis == 1 ? coordY[sy + 1] : p.Y,
                axis == 2 ? coordZ[sz + 1] : p.Z);
            int index = vertices.Count;
            vertices.Add(p + (q - p) * t);
            edgeVertex.Add(key, index);
            return index;
        }
    }

    private static float[] PaddedCoordinates(int size)
    {
        var result = new float[size + 2];
        for (int p = 0; p < result.Length; p++) result[p] = VoxelGrid.Center(p - 1, size);
        return result;
    }
}
