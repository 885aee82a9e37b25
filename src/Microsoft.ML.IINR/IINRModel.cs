using System.Reflection;
using Microsoft.ML.IINR.Internal;

namespace Microsoft.ML.IINR;

/// <summary>
/// Loading of ML.NET model zips that contain IINR components, with failures reported clearly.
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
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a loadable model; the message says why.</exception>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        if (!LooksLikeModelZip(fullPath))
            throw new InvalidDataException($"Cannot load model file '{fullPath}': it is a zip archive but not an ML.NET model " +
                "(it has no Model.key entry; ML.NET model zips are written by mlContext.Model.Save).");
        try
        {
            return mlContext.Model.Load(fullPath, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Cannot load model file '{fullPath}': {Explain(e)}", e);
        }
    }

    /// <summary>False only for a readable zip archive without any <c>Model.key</c> entry (every ML.NET model
    /// zip has one per stored component); an unreadable file is left to ML.NET, whose error <see cref="Explain"/> words.</summary>
    static bool LooksLikeModelZip(string path)
    {
        try
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            return zip.Entries.Any(e => e.Name == "Model.key");
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return true;
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
