using System.Globalization;
using System.Numerics;
using System.Text;

namespace IINR.Signals.Geometry;

/// <summary>
/// Reads and writes the geometry of Wavefront OBJ files: <c>v</c> vertex positions and <c>f</c> faces.
/// Faces may use the <c>v</c>, <c>v/vt</c>, <c>v//vn</c> and <c>v/vt/vn</c> forms (only the position index
/// is used), positive (1-based) or negative (relative: −1 is the latest vertex) indices, and any number of
/// corners (polygons become triangle fans around their first corner). Comments (<c>#</c>), blank lines and
/// other statements (<c>vt</c>, <c>vn</c>, <c>o</c>, <c>g</c>, <c>s</c>, <c>usemtl</c>, <c>mtllib</c>,
/// <c>l</c>, <c>p</c>, …) are skipped. A file is read in bounded memory: lines longer than <see cref="MaxLineLength"/>
/// characters and meshes of more than <see cref="MaxVertices"/> vertices or <see cref="MaxTriangles"/> triangles are refused.
/// </summary>
public static class ObjFile
{
    /// <summary>The longest line read, in characters (1 Mi).</summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>The most vertices a mesh may have (2²⁴).</summary>
    public const int MaxVertices = 1 << 24;

    /// <summary>The most triangles a mesh may have, polygons counted as their fans (2²⁴).</summary>
    public const int MaxTriangles = 1 << 24;

    /// <summary>Reads the mesh in the OBJ file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file, or it is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is malformed or too large; the message names the file and the line.</exception>
    public static TriangleMesh Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not an OBJ file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"OBJ file not found: '{path}'.", path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    /// <summary>Reads an OBJ mesh from <paramref name="reader"/>; <paramref name="sourceName"/> is used in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is malformed; the message names the source and the line.</exception>
    public static TriangleMesh Read(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        var vertices = new List<Vector3>();
        var triangles = new List<int>();
        var corners = new List<int>();
        int lineNumber = 0;
        string? line;
        var buffer = new StringBuilder();
        while ((line = ReadLine(reader, buffer, sourceName, lineNumber + 1)) is not null)
        {
            lineNumber++;
            int hash = line.IndexOf('#');
            var content = (hash >= 0 ? line.AsSpan(0, hash) : line.AsSpan()).Trim();
            if (content.IsEmpty) continue;
            var tokens = content.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (tokens[0])
            {
                case "v":
                    if (vertices.Count == MaxVertices)
                        throw Error(sourceName, lineNumber, $"the mesh has more than {SizeLimits.Format(MaxVertices)} vertices (ObjFile.MaxVertices).");
                    vertices.Add(ParseVertex(tokens, sourceName, lineNumber));
                    break;
                case "f":
                    if (tokens.Length < 4)
                        throw Error(sourceName, lineNumber, $"a face needs at least 3 corners, found {tokens.Length - 1}.");
                    if ((long)triangles.Count / 3 + tokens.Length - 3 > MaxTriangles)
                        throw Error(sourceName, lineNumber, $"the mesh has more than {SizeLimits.Format(MaxTriangles)} triangles (ObjFile.MaxTriangles).");
                    corners.Clear();
                    for (int i = 1; i < tokens.Length; i++)
                        corners.Add(ParseCorner(tokens[i], vertices.Count, sourceName, lineNumber));
                    for (int i = 1; i + 1 < corners.Count; i++)
                    {
                        triangles.Add(corners[0]);
                        triangles.Add(corners[i]);
                        triangles.Add(corners[i + 1]);
                    }
                    break;
            }
        }
        return new TriangleMesh(vertices.ToArray(), triangles.ToArray(), validate: false);
    }

    /// <summary>Writes <paramref name="mesh"/> to the OBJ file at <paramref name="path"/> (created or replaced atomically, <see cref="AtomicFile"/>).</summary>
    public static void Write(string path, TriangleMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(mesh);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16, leaveOpen: true);
            Write(writer, mesh);
        });
    }

    /// <summary>
    /// Writes <paramref name="mesh"/> as OBJ text: a comment header, one <c>v</c> line per vertex (shortest
    /// round-trip float text, invariant culture) and one 1-based <c>f</c> line per triangle.
    /// </summary>
    public static void Write(TextWriter writer, TriangleMesh mesh)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(mesh);
        var inv = CultureInfo.InvariantCulture;
        writer.Write("# IINR triangle mesh: ");
        writer.Write(mesh.VertexCount.ToString(inv));
        writer.Write(" vertices, ");
        writer.Write(mesh.TriangleCount.ToString(inv));
        writer.Write(" triangles\n");
        foreach (var v in mesh.Vertices)
        {
            writer.Write("v ");
            writer.Write(v.X.ToString("R", inv));
            writer.Write(' ');
            writer.Write(v.Y.ToString("R", inv));
            writer.Write(' ');
            writer.Write(v.Z.ToString("R", inv));
            writer.Write('\n');
        }
        var t = mesh.Triangles;
        for (int k = 0; k < t.Length; k += 3)
        {
            writer.Write("f ");
            writer.Write((t[k] + 1).ToString(inv));
            writer.Write(' ');
            writer.Write((t[k + 1] + 1).ToString(inv));
            writer.Write(' ');
            writer.Write((t[k + 2] + 1).ToString(inv));
            writer.Write('\n');
        }
    }

    private static Vector3 ParseVertex(string[] tokens, string source, int line)
    {
        // "v x y z [w]" or the common "v x y z r g b" colour extension: only x, y, z are used.
        if (tokens.Length < 4)
            throw Error(source, line, $"a vertex needs 3 coordinates, found {tokens.Length - 1}.");
        Span<float> xyz = stackalloc float[3];
        for (int i = 0; i < 3; i++)
        {
            if (!float.TryParse(tokens[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out xyz[i]) || !float.IsFinite(xyz[i]))
                throw Error(source, line, $"vertex coordinate '{tokens[i + 1]}' is not a finite number.");
        }
        return new Vector3(xyz[0], xyz[1], xyz[2]);
    }

    private static int ParseCorner(string token, int vertexCount, string source, int line)
    {
        int slash = token.IndexOf('/');
        var text = slash >= 0 ? token.AsSpan(0, slash) : token.AsSpan();
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
            throw Error(source, line, $"face corner '{token}' does not start with an integer vertex index.");
        if (index == 0)
            throw Error(source, line, $"face corner '{token}' uses vertex index 0; OBJ indices start at 1 (or count back from −1).");
        // Positive indices are 1-based; negative ones count back from the latest vertex read so far.
        int resolved = index > 0 ? index - 1 : vertexCount + index;
        if (resolved < 0 || resolved >= vertexCount)
            throw Error(source, line, $"face corner '{token}' refers to vertex {index}, but only {vertexCount} vertices are defined so far.");
        return resolved;
    }

    // TextReader.ReadLine with a length limit: a file without line breaks cannot make one huge string.
    private static string? ReadLine(TextReader reader, StringBuilder buffer, string source, int lineNumber)
    {
        buffer.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n') return buffer.ToString();
            if (c == '\r')
            {
                if (reader.Peek() == '\n') reader.Read();
                return buffer.ToString();
            }
            if (buffer.Length == MaxLineLength)
                throw Error(source, lineNumber, $"the line is longer than {SizeLimits.Format(MaxLineLength)} characters (ObjFile.MaxLineLength); not an OBJ file?");
            buffer.Append((char)c);
        }
        return buffer.Length > 0 ? buffer.ToString() : null;
    }

    private static InvalidDataException Error(string source, int line, string what) =>
        new($"{source}, line {line}: {what}");
}
