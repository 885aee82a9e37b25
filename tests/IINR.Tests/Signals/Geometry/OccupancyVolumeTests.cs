using System.Text;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class OccupancyVolumeTests
{
    private static OccupancyVolume Sample()
    {
        var occupied = new bool[3 * 4 * 5];
        for (int i = 0; i < occupied.Length; i++) occupied[i] = i % 3 == 0 || i % 7 == 0;
        return new OccupancyVolume(3, 4, 5, occupied);
    }

    [TestMethod]
    public void LayoutIsXFastestThenYThenZ()
    {
        var volume = new OccupancyVolume(3, 4, 5, new bool[60]);
        volume[2, 1, 3] = true;
        Assert.IsTrue(volume.Occupied[(3 * 4 + 1) * 3 + 2]);
        Assert.AreEqual(1, volume.CountOccupied());
        Assert.AreEqual(-1f + 5f / 4f, VoxelGrid.Center(2, 4));
    }

    [TestMethod]
    public void StreamRoundTripAndDocumentedBytes()
    {
        var volume = Sample();
        using var stream = new MemoryStream();
        volume.Write(stream);
        var bytes = stream.ToArray();
        Assert.AreEqual(20 + 60, bytes.Length);
        Assert.AreEqual("IINROCC1", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.AreEqual(3, BitConverter.ToInt32(bytes, 8));
        Assert.AreEqual(4, BitConverter.ToInt32(bytes, 12));
        Assert.AreEqual(5, BitConverter.ToInt32(bytes, 16));
        Assert.AreEqual((byte)1, bytes[20]);
        Assert.AreEqual((byte)0, bytes[21]);

        var back = OccupancyVolume.Read(new MemoryStream(bytes), "memory");
        Assert.AreEqual((3, 4, 5), (back.SizeX, back.SizeY, back.SizeZ));
        CollectionAssert.AreEqual(volume.Occupied, back.Occupied);
    }

    [TestMethod]
    public void FileRoundTrip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iinr-{Guid.NewGuid():N}.occ");
        try
        {
            var volume = Voxelizer.Voxelize(Shapes.IcoSphere(subdivisions: 1), 12);
            volume.Write(path);
            var back = OccupancyVolume.Read(path);
            CollectionAssert.AreEqual(volume.Occupied, back.Occupied);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void TruncatedFileIsReportedWithItsPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iinr-{Guid.NewGuid():N}.occ");
        try
        {
            using (var stream = new MemoryStream())
            {
                Sample().Write(stream);
                File.WriteAllBytes(path, stream.ToArray()[..50]);
            }
            var error = Assert.ThrowsExactly<InvalidDataException>(() => OccupancyVolume.Read(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("truncated data: expected 60 voxel bytes after the header, found 30", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void MalformedStreamsAreRejected()
    {
        using var good = new MemoryStream();
        Sample().Write(good);
        var bytes = good.ToArray();

        static string ErrorOf(byte[] data) =>
            Assert.ThrowsExactly<InvalidDataException>(() => OccupancyVolume.Read(new MemoryStream(data), "vol.occ")).Message;

        var badMagic = (byte[])bytes.Clone();
        badMagic[3] = (byte)'X';
        Assert.Contains("vol.occ: wrong magic 'IINXOCC1'", ErrorOf(badMagic));
        Assert.Contains("truncated header", ErrorOf(bytes[..12]));
        Assert.Contains("unexpected bytes after", ErrorOf([.. bytes, 0]));
        var badSize = (byte[])bytes.Clone();
        BitConverter.GetBytes(-2).CopyTo(badSize, 12);
        Assert.Contains("size along y is -2", ErrorOf(badSize));
        var badByte = (byte[])bytes.Clone();
        badByte[25] = 7;
        Assert.Contains("voxel byte 5 is 7", ErrorOf(badByte));
    }

    [TestMethod]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iinr-missing-{Guid.NewGuid():N}.occ");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => OccupancyVolume.Read(path));
        Assert.AreEqual(path, error.FileName);
    }
}
