using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// The voxel grid convention shared by <see cref="Voxelizer"/>, <see cref="OccupancyVolume"/> and
/// <see cref="MarchingCubes"/>: an N-voxel axis splits [-1, 1] into N equal cells and voxel i sits at
/// the cell centre −1 + (2i + 1)/N; a volume of Nx×Ny×Nz voxels is stored x fastest, then y, then z,
/// i.e. index = (z·Ny + y)·Nx + x (for a cube, (z·R + y)·R + x).
/// </summary>
public static class VoxelGrid
{
    /// <summary>Coordinate in [-1, 1] of the centre of voxel <paramref name="i"/> on an axis of <paramref name="size"/> voxels.</summary>
    public static float Center(int i, int size) => -1f + (2f * i + 1f) / size;

    /// <summary>Centre in [-1, 1]³ of voxel (x, y, z) of a cube of <paramref name="resolution"/>³ voxels.</summary>
    public static Vector3 Center(int x, int y, int z, int resolution) =>
        new(Center(x, resolution), Center(y, resolution), Center(z, resolution));

    /// <summary>Flat index of voxel (x, y, z) in a volume of <paramref name="sizeX"/>×<paramref name="sizeY"/>×… voxels.</summary>
    public static int Index(int x, int y, int z, int sizeX, int sizeY) => (z * sizeY + y) * sizeX + x;

    /// <summary>Flat index of voxel (x, y, z) in a cube of <paramref name="resolution"/>³ voxels.</summary>
    public static int Index(int x, int y, int z, int resolution) => (z * resolution + y) * resolution + x;

    /// <summary>Voxel-centre coordinates (x, y, z) of every voxel of a <paramref name="sizeX"/>×<paramref name="sizeY"/>×<paramref name="sizeZ"/>
    /// volume, in <see cref="Index(int, int, int, int, int)"/> order: 3 values per voxel.</summary>
    public static float[] Coordinates(int sizeX, int sizeY, int sizeZ)
    {
        var c = new float[SizeLimits.Floats(SizeLimits.Product(sizeX, sizeY, sizeZ, 3), $"The coordinates of a {sizeX}×{sizeY}×{sizeZ} volume", nameof(sizeX))];
        for (int z = 0; z < sizeZ; z++)
            for (int y = 0; y < sizeY; y++)
                for (int x = 0; x < sizeX; x++)
                {
                    int i = Index(x, y, z, sizeX, sizeY) * 3;
                    c[i] = Center(x, sizeX);
                    c[i + 1] = Center(y, sizeY);
                    c[i + 2] = Center(z, sizeZ);
                }
        return c;
    }

    /// <summary>Volume of one voxel of a cube of <paramref name="resolution"/>³ voxels spanning [-1, 1]³ (total volume 8).</summary>
    public static double VoxelVolume(int resolution) => 8.0 / ((double)resolution * resolution * resolution);
}
