using System.Reflection;
using IINR.Signals;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Loading of ML.NET model zips that contain IINR components, with failures reported clearly, and saving them atomically.
/// </summary>
/// <remarks>
/// <c>mlContext.Model.Load</c> loads IINR models too (no registration call is needed, as long as the
/// application references Microsoft.ML.IINR). Its exceptions never name the file, and problems
/// inside a component arrive wrapped in several layers of reflection exceptions. This helper loads
/// the same way and turns any failure into one <see cref="InvalidDataException"/> whose message
/// names the file and the problem; the original exception is its inner exception.
/// </remarks>
public static class IINRModel
{
    /// <summary>
    /// Loads a model zip saved with <c>mlContext.Model.Save</c>, like
    /// <see cref="ModelOperationsCatalog.Load(string, out DataViewSchema)"/>.
    /// </summary>
    /// <param name="mlContext">The ML.NET context to load into.</param>
    /// <param name="path">The model zip.</param>
    /// <param name="inputSchema">The input schema saved with the model (null if none was saved).</param>
    /// <returns>The loaded transformer (chain).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist, or is a directory.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable model; the message says why.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            throw new FileNotFoundException($"Model file '{fullPath}' is a directory, not a model zip.", fullPath);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        if (Inspect(fullPath) is { } problem)
            throw new InvalidDataException($"Cannot load model file '{fullPath}': {problem}");
        try
        {
            return mlContext.Model.Load(fullPath, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot load model file '{fullPath}': {Explain(e)}", e);
        }
    }

    /// <summary>
    /// Saves <paramref name="model"/> like <c>mlContext.Model.Save(model, inputSchema, path)</c>, but atomically: the zip
    /// is built in memory first, so a model that cannot be saved (a disposed transformer) fails before the file is
    /// touched, and the file is then replaced in one rename (<see cref="AtomicFile"/>), so a crash or a kill never leaves
    /// a damaged or empty model where a good one was. (ML.NET's own <c>Save(…, path)</c> truncates the file first.)
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="model">The transformer (chain) to save.</param>
    /// <param name="inputSchema">The input schema to store with it (may be null).</param>
    /// <param name="path">The model zip to create or replace; its folder must exist.</param>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema? inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var zip = new MemoryStream();
        mlContext.Model.Save(model, inputSchema, zip);
        AtomicFile.Write(path, s => zip.WriteTo(s));
    }

    /// <summary>What makes the file unloadable before ML.NET opens it, or null: a readable zip archive without any <c>Model.key</c>
    /// entry (every ML.NET model zip has one per stored component), or an IINR payload entry declaring more than a checkpoint
    /// can hold. An unreadable file is left to ML.NET, whose error <see cref="Explain"/> words.</summary>
    static string? Inspect(string path)
    {
        try
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            if (!zip.Entries.Any(e => e.Name == "Model.key"))
                return "it is a zip archive but not an ML.NET model (it has no Model.key entry; ML.NET model zips are written by mlContext.Model.Save).";
            var oversized = zip.Entries.FirstOrDefault(e => e.Name == ModelPersistence.PayloadEntryName && e.Length > Array.MaxLength);
            return oversized is null ? null
                : $"its entry '{oversized.FullName}' declares {SizeLimits.Format(oversized.Length)} bytes, more than an IINR checkpoint can hold (2 GiB); the zip is damaged or hostile.";
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
        }
    }

    /// <summary>The most specific description of a load failure found in an exception chain.</summary>
    internal static string Explain(Exception e)
    {
        var chain = new List<Exception>();
        for (var x = e; x != null; x = x.InnerException)
            chain.Add(x);

        // Our own component loaders say exactly what is wrong, naming the zip entry.
        if (chain.OfType<IINRModelFormatException>().FirstOrDefault() is { } ours)
            return ours.Message;
        // System.IO.Compression could not read the archive or one of its entries.
        if (chain.OfType<InvalidDataException>().FirstOrDefault() is { } zip)
            return "it is not a readable zip archive (truncated or corrupt): " + zip.Message;
        // Otherwise: every distinct message, outermost first, skipping reflection wrappers.
        return string.Join(" ", chain
            .Where(x => x is not TargetInvocationException)
            .Select(x => x.Message.TrimEnd())
            .Distinct()
            .Select(m => m.EndsWith('.') ? m : m + "."));
    }
}
