using System.Numerics;
using IINR.Signals.Geometry;

namespace IINR.Tests.Signals.Geometry;

[TestClass]
public sealed class ObjFileTests
{
    [TestMethod]
    public void TextRoundTripIsExact()
    {
        var mesh = Shapes.TorusKnot();
        var writer = new StringWriter();
        ObjFile.Write(writer, mesh);
        var back = ObjFile.Read(new StringReader(writer.ToString()), "knot.obj");
        CollectionAssert.AreEqual(mesh.ToCoordinateArray(), back.ToCoordinateArray());
        CollectionAssert.AreEqual(mesh.Triangles.ToArray(), back.Triangles.ToArray());
    }

    [TestMethod]
    public void FileRoundTrip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iinr-{Guid.NewGuid():N}.obj");
        try
        {
            var mesh = Shapes.IcoSphere(subdivisions: 1);
            ObjFile.Write(path, mesh);
            var back = ObjFile.Read(path);
            CollectionAssert.AreEqual(mesh.ToCoordinateArray(), back.ToCoordinateArray());
            CollectionAssert.AreEqual(mesh.Triangles.ToArray(), back.Triangles.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ReadsPolygonsSlashFormsNegativeIndicesAndSkipsTheRest()
    {
        const string text = """
            # a comment
            mtllib scene.mtl
            o thing
            v 0 0 0
            v 1 0 0   # trailing comment
            v 1 1 0 0.5 0.5 0.5
            v 0 1 0
            vt 0 0
            vn 0 0 1
            g faces
            s off
            usemtl red
            f 1/1/1 2/1/1 3/1/1 4/1/1
            v 0.5 0.5 1e0
            f -5//1 -4//1 -1//1
            f 2/1 3/1 5/1
            f 3 4 5 
            l 1 2
            """;
        var mesh = ObjFile.Read(new StringReader(text), "inline.obj");
        Assert.AreEqual(5, mesh.VertexCount);
        Assert.AreEqual(new Vector3(0.5f, 0.5f, 1f), mesh.Vertices[4]);
        // The quad becomes the fan (1 2 3) (1 3 4); −5 is vertex 1 once five vertices exist.
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 0, 2, 3, 0, 1, 4, 1, 2, 4, 2, 3, 4 }, mesh.Triangles.ToArray());
    }

    [TestMethod]
    public void PentagonBecomesAFanOfThree()
    {
        var mesh = ObjFile.Read(new StringReader("v 0 0 0\nv 1 0 0\nv 2 1 0\nv 1 2 0\nv 0 1 0\nf 1 2 3 4 5\n"), "p.obj");
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 0, 2, 3, 0, 3, 4 }, mesh.Triangles.ToArray());
    }

    [TestMethod]
    [DataRow("v 0 0 0\nv 1 0 0\nv 1 2\nf 1 2 3\n", 3, "3 coordinates")]
    [DataRow("v 0 0 0\nv 1 0 0\nv 1 x 0\n", 3, "'x'")]
    [DataRow("v 0 0 0\nv 1 0 0\nv 0 1 0\n\n# c\nf 1 2 9\n", 6, "vertex 9")]
    [DataRow("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n", 4, "index 0")]
    [DataRow("v 0 0 0\nv 1 0 0\nf 1 2\n", 3, "at least 3 corners")]
    [DataRow("v 0 0 0\nv 1 0 0\nv 0 1 0\nf -4 1 2\n", 4, "vertex -4")]
    [DataRow("v 0 0 0\nv 1 0 0\nv 0 1 0\nf a/1 1 2\n", 4, "'a/1'")]
    [DataRow("v 0 0 nan\n", 1, "not a finite number")]
    public void MalformedInputNamesTheFileAndLine(string text, int line, string what)
    {
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ObjFile.Read(new StringReader(text), "broken.obj"));
        Assert.Contains($"broken.obj, line {line}:", error.Message);
        Assert.Contains(what, error.Message);
    }

    [TestMethod]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"iinr-missing-{Guid.NewGuid():N}.obj");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ObjFile.Read(path));
        Assert.AreEqual(path, error.FileName);
        Assert.Contains(path, error.Message);
    }
}
