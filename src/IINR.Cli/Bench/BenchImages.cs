using IINR.Signals;

namespace IINR.Cli.Bench;

/// <summary>The benchmark's images: files from a directory, or the generated set.</summary>
public static class BenchImages
{
    /// <summary>Loads every PNG/JPEG/BMP of <paramref name="directory"/> (sorted by name; only those of <paramref name="set"/>
    /// when given), centre-cropped to a square and area-resized to <paramref name="size"/>; or, without a directory, the
    /// generated set of <paramref name="count"/> images.</summary>
    public static IReadOnlyList<(string Name, SignalImage Image)> Load(string? directory, int size, int count, string? set = null)
    {
        if (directory is null) return Generated(size, count);
        return Files(directory, set).Select(f => (Path.GetFileNameWithoutExtension(f), Square(ImageFile.Load(f), size))).ToList();
    }

    /// <summary>Loads every PNG/JPEG/BMP of <paramref name="directory"/> (sorted by name; only those of <paramref name="set"/>
    /// when given) as it is, for suites that crop.</summary>
    public static IReadOnlyList<(string Name, SignalImage Image)> LoadFull(string directory, string? set = null) =>
        Files(directory, set).Select(f => (Path.GetFileNameWithoutExtension(f), ImageFile.Load(f))).ToList();

    // The files, filtered to the development set's "tuning" or "keptout" part (RestorationSet's split, by file name).
    static List<string> Files(string directory, string? set)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"--images directory '{directory}' was not found.");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".bmp")
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InvalidDataException($"--images directory '{directory}' holds no PNG, JPEG or BMP file.");
        if (set is null) return files;
        var names = set switch
        {
            "tuning" => RestorationSet.TuningImages,
            "keptout" => RestorationSet.KeptOutImages,
            _ => throw new ArgumentException($"Unknown image set '{set}': expected tuning or keptout."),
        };
        var chosen = files.Where(f => names.Contains(Path.GetFileNameWithoutExtension(f))).ToList();
        return chosen.Count > 0 ? chosen
            : throw new InvalidDataException($"--images directory '{directory}' holds none of the {set} images ({string.Join(", ", names)}).");
    }

    /// <summary>The generated set: the test scene, then zoomed crops of it (different content at the same size).</summary>
    public static IReadOnlyList<(string Name, SignalImage Image)> Generated(int size, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var list = new List<(string, SignalImage)> { ("scene", TestScene.Render(size, size)) };
        if (count > 1)
        {
            // Crops of the scene rendered at 3×: each a third of the frame, so finer detail per pixel.
            var big = TestScene.Render(3 * size, 3 * size);
            (int X, int Y, string Name)[] crops = [(0, 0, "zoomTopLeft"), (2 * size, 2 * size, "zoomBottomRight"), (size, 0, "zoomTop"), (0, 2 * size, "zoomBottomLeft")];
            foreach (var (x, y, name) in crops.Take(count - 1))
                list.Add((name, Resampling.Crop(big, x, y, size, size)));
        }
        return list;
    }

    static SignalImage Square(SignalImage image, int size)
    {
        int side = Math.Min(image.Width, image.Height);
        var crop = Resampling.Crop(image, (image.Width - side) / 2, (image.Height - side) / 2, side, side);
        return side == size ? crop : Resampling.ResizeArea(crop, size, size);
    }
}
