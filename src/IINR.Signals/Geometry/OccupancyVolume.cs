using System.Buffers.Binary;
using System.Text;

namespace IINR.Signals.Geometry;

/// <summary>
/// A binary occupancy grid over [-1, 1]³ in the <see cref="VoxelGrid"/> convention
/// (index = (z·SizeY + y)·SizeX + x, voxel i at −1 + (2i + 1)/N), with a raw file format:
/// <list type="table">
/// <item><term>bytes 0–7</term><description>ASCII magic <c>IINROCC1</c></description></item>
/// <item><term>bytes 8–19</term><description>SizeX, SizeY, SizeZ as little-endian int32, each in 1..<see cref="MaxSize"/>,
/// at most <see cref="MaxVoxels"/> in all</description></item>
/// <item><term>then</term><description>SizeX·SizeY·SizeZ bytes, 0 (empty) or 1 (occupied), in index order; nothing after</description></item>
/// </list>
/// </summary>
public sealed class OccupancyVolume
{
    /// <summary>The 8-byte magic that starts every file.</summary>
    public const string Magic = "IINROCC1";

    /// <summary>Largest size accepted along one axis (guards against absurd allocations from corrupt headers).</summary>
    public const int MaxSize = 2048;

    /// <summary>Most voxels in one volume, 512³ (2²⁷): their coordinates (3 floats a voxel) still fit one buffer
    /// (<see cref="SizeLimits.MaxFloats"/>), so a volume can always be fitted.</summary>
    public const long MaxVoxels = 1L << 27;

    private const int HeaderLength = 20;

    /// <summary>Creates a volume; <paramref name="occupied"/> is used as is (not copied) and must hold SizeX·SizeY·SizeZ values.</summary>
    public OccupancyVolume(int sizeX, int sizeY, int sizeZ, bool[] occupied)
    {
        CheckSize(sizeX, nameof(sizeX));
        CheckSize(sizeY, nameof(sizeY));
        CheckSize(sizeZ, nameof(sizeZ));
        ArgumentNullException.ThrowIfNull(occupied);
        long count = (long)sizeX * sizeY * sizeZ;
        if (count > MaxVoxels)
            throw new ArgumentException($"A {sizeX}×{sizeY}×{sizeZ} volume has {SizeLimits.Format(count)} voxels, more than {SizeLimits.Format(MaxVoxels)} (512³).");
        if (occupied.Length != count)
            throw new ArgumentException($"Expected {sizeX}×{sizeY}×{sizeZ} = {count} values, got {occupied.Length}.", nameof(occupied));
        SizeX = sizeX; SizeY = sizeY; SizeZ = sizeZ; Occupied = occupied;
    }

    /// <summary>Creates an empty cube of <paramref name="resolution"/>³ voxels.</summary>
    public OccupancyVolume(int resolution)
        : this(resolution, resolution, resolution, new bool[CheckCube(resolution)]) { }

    /// <summary>Voxels along x.</summary>
    public int SizeX { get; }
    /// <summary>Voxels along y.</summary>
    public int SizeY { get; }
    /// <summary>Voxels along z.</summary>
    public int SizeZ { get; }

    /// <summary>Occupancy per voxel, index = (z·SizeY + y)·SizeX + x.</summary>
    public bool[] Occupied { get; }

    /// <summary>Occupancy of voxel (x, y, z).</summary>
    public bool this[int x, int y, int z]
    {
        get => Occupied[VoxelGrid.Index(x, y, z, SizeX, SizeY)];
        set => Occupied[VoxelGrid.Index(x, y, z, SizeX, SizeY)] = value;
    }

    /// <summary>Number of occupied voxels.</summary>
    public int CountOccupied()
    {
        int count = 0;
        foreach (bool o in Occupied) if (o) count++;
        return count;
    }

    /// <summary>Occupied fraction of the voxels; times 8 it estimates the enclosed volume in [-1, 1]³.</summary>
    public double OccupiedFraction => (double)CountOccupied() / Occupied.Length;

    /// <summary>The occupancy as 0/1 floats in the same order, for example as a <see cref="MarchingCubes"/> field.</summary>
    public float[] ToFloatArray()
    {
        var result = new float[Occupied.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Occupied[i] ? 1f : 0f;
        return result;
    }

    /// <summary>Writes the volume in the raw format to <paramref name="path"/> (created or replaced atomically, <see cref="AtomicFile"/>).</summary>
    public void Write(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, Write);
    }

    /// <summary>Writes the volume in the raw format to <paramref name="stream"/>.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[HeaderLength];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], SizeX);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], SizeY);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], SizeZ);
        stream.Write(header);
        var body = new byte[Occupied.Length];
        for (int i = 0; i < body.Length; i++) body[i] = Occupied[i] ? (byte)1 : (byte)0;
        stream.Write(body);
    }

    /// <summary>Reads a volume in the raw format from the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file, or it is a directory.</exception>
    /// <exception cref="InvalidDataException">Wrong magic, bad sizes, truncated or over-long data, or a byte other than 0/1; the message names the file.</exception>
    public static OccupancyVolume Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not an occupancy volume file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Occupancy volume file not found: '{path}'.", path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a volume in the raw format from <paramref name="stream"/>; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="InvalidDataException">See <see cref="Read(string)"/>.</exception>
    public static OccupancyVolume Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        Span<byte> header = stackalloc byte[HeaderLength];
        int got = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        if (got >= 8 && !header[..8].SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
            throw Error(sourceName, $"wrong magic '{Printable(header[..8])}', expected '{Magic}'; not an IINR occupancy volume.");
        if (got < HeaderLength)
            throw Error(sourceName, $"truncated header: {got} of {HeaderLength} bytes.");
        Span<int> sizes = stackalloc int[3];
        for (int a = 0; a < 3; a++)
        {
            sizes[a] = BinaryPrimitives.ReadInt32LittleEndian(header[(8 + 4 * a)..]);
            if (sizes[a] < 1 || sizes[a] > MaxSize)
                throw Error(sourceName, $"size along {"xyz"[a]} is {sizes[a]}, expected 1..{MaxSize}.");
        }
        long count = (long)sizes[0] * sizes[1] * sizes[2];
        if (count > MaxVoxels)
            throw Error(sourceName, $"a {sizes[0]}×{sizes[1]}×{sizes[2]} volume has {SizeLimits.Format(count)} voxels, more than {SizeLimits.Format(MaxVoxels)} (512³).");
        // Check the length up front when we can, so a corrupt header cannot trigger a huge allocation.
        if (stream.CanSeek && stream.Length - stream.Position < count)
            throw Error(sourceName, $"truncated data: expected {count} voxel bytes after the header, found {stream.Length - stream.Position}.");
        var body = new byte[count];
        got = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (got < body.Length)
            throw Error(sourceName, $"truncated data: expected {count} voxel bytes after the header, found {got}.");
        if (stream.ReadByte() >= 0)
            throw Error(sourceName, $"unexpected bytes after the {count} voxel bytes.");
        var occupied = new bool[count];
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] > 1)
                throw Error(sourceName, $"voxel byte {i} is {body[i]}, expected 0 or 1.");
            occupied[i] = body[i] == 1;
        }
        return new OccupancyVolume(sizes[0], sizes[1], sizes[2], occupied);
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(b is >= 32 and < 127 ? (char)b : '?');
        return sb.ToString();
    }

    private static InvalidDataException Error(string source, string what) => new($"{source}: {what}");

    /// <summary>R³ as an array length, refused above <see cref="MaxVoxels"/> (R ≤ 512).</summary>
    internal static int CheckCube(int resolution)
    {
        CheckSize(resolution, nameof(resolution));
        long count = (long)resolution * resolution * resolution;
        if (count > MaxVoxels)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"A cube of {resolution}³ voxels has more than {SizeLimits.Format(MaxVoxels)} (512³).");
        return (int)count;
    }

    private static int CheckSize(int size, string name)
    {
        if (size < 1 || size > MaxSize)
            throw new ArgumentOutOfRangeException(name, size, $"Sizes must lie in 1..{MaxSize}.");
        return size;
    }
}
