using System.Globalization;
using IINR.Signals;
using IINR.Signals.Geometry;

namespace IINR.Cli;

/// <summary>
/// Reads the tool's inputs: image files, OBJ meshes, raw occupancy volumes, and the embedded default data named
/// <c>builtin:testscene[:SIZE|:WxH]</c> (the generated TestScene, 128×128 by default) and
/// <c>builtin:sphere|cube|torus|torusknot</c> (generated closed meshes).
/// </summary>
internal static class Inputs
{
    public const string Prefix = "builtin:";

    public static readonly string[] MeshNames = ["sphere", "cube", "torus", "torusknot"];

    public static bool IsBuiltin(string spec) => spec.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads an image file (PNG, JPEG, BMP) or a built-in image.</summary>
    public static SignalImage LoadImage(string spec, string option = "--input")
    {
        if (!IsBuiltin(spec))
        {
            try { return ImageFile.Load(spec); }
            catch (InvalidDataException e) when (e.Data.Contains(ImageFile.PixelLimitKey))
            {
                throw new InvalidDataException($"{option}: {e.Message.TrimEnd('.')}; set {Program.MaxPixelsVariable} to raise the limit.", e);
            }
        }
        var parts = spec[Prefix.Length..].Split(':');
        if (!parts[0].Equals("testscene", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{option} '{spec}': the built-in image is 'builtin:testscene[:SIZE]' or 'builtin:testscene:WxH'.");
        int w = Defaults.MainJobSize, h = Defaults.MainJobSize;
        if (parts.Length > 2) throw new UsageException($"{option} '{spec}': expected 'builtin:testscene[:SIZE]' or 'builtin:testscene:WxH'.");
        if (parts.Length == 2)
        {
            var dims = parts[1].Split('x', 'X', '×');
            bool ok = dims.Length is 1 or 2 && int.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out w);
            h = w;
            if (ok && dims.Length == 2) ok = int.TryParse(dims[1], NumberStyles.None, CultureInfo.InvariantCulture, out h);
            if (!ok || w < 1 || h < 1 || w > 8192 || h > 8192)
                throw new UsageException($"{option} '{spec}': the TestScene size must be SIZE or WxH with 1..8192 pixels per side.");
        }
        return TestScene.Render(w, h);
    }

    /// <summary>A built-in mesh, or null when <paramref name="spec"/> is not built-in.</summary>
    public static TriangleMesh? BuiltinMesh(string spec, string option = "--input")
    {
        if (!IsBuiltin(spec)) return null;
        return spec[Prefix.Length..].ToLowerInvariant() switch
        {
            "sphere" => Shapes.IcoSphere(),
            "cube" => Shapes.Cube(),
            "torus" => Shapes.Torus(),
            "torusknot" => Shapes.TorusKnot(),
            _ => throw new UsageException($"{option} '{spec}': the built-in meshes are {string.Join(", ", MeshNames.Select(n => Prefix + n))}."),
        };
    }

    /// <summary>True when the file starts with the raw occupancy volume magic.</summary>
    public static bool IsOccupancyVolume(string path)
    {
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a directory, not a mesh or volume file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Input file '{path}' was not found.", path);
        Span<byte> head = stackalloc byte[OccupancyVolume.Magic.Length];
        using var s = File.OpenRead(path);
        int n = s.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return n == head.Length && head.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(OccupancyVolume.Magic));
    }

    /// <summary>Reads an OBJ mesh, refusing files that hold no triangles.</summary>
    public static TriangleMesh LoadMesh(string path)
    {
        if (!path.EndsWith(".obj", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"'{path}' is neither an OBJ mesh (.obj) nor a raw occupancy volume (a file starting with '{OccupancyVolume.Magic}').");
        var mesh = ObjFile.Read(path);
        if (mesh.TriangleCount == 0) throw new InvalidDataException($"'{path}' holds no triangles: it is not a closed mesh.");
        return mesh;
    }
}
