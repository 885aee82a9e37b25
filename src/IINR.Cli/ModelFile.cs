using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli;

/// <summary>
/// The model file of the <c>iinr</c> tool: an ML.NET model zip holding one <see cref="IINRTransformer"/> with its
/// image frame and inference steps (<c>mlContext.Model.Save</c>, with the input schema of
/// <c>mlContext.Data.LoadFromImage</c>), so <c>mlContext.Model.Load</c> opens it in any ML.NET application that
/// references Microsoft.ML.IINR. The one place in the tool that knows this.
/// </summary>
public static class ModelFile
{
    /// <summary>Writes <paramref name="model"/>, a model fitted to an image, to <paramref name="path"/> (created or replaced atomically).</summary>
    /// <param name="model">A 2-D image model (<see cref="IINRTransformer.Image"/> set), with the steps to store.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(IINRTransformer model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (model.Image is null) throw new ArgumentException("The model was not fitted to an image; iinr model files hold image models.", nameof(model));
        IINRModel.Save(Context(), model, model.GetInputSchema(), path);
    }

    /// <summary>Reads a model file: an ML.NET model zip holding an IINR transformer fitted to an image. Dispose the result.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not such a model zip or is damaged; the message names it and says why.</exception>
    public static IINRTransformer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new FileNotFoundException($"Model file '{path}' is a directory, not a model zip.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' was not found.", path);
        ITransformer loaded;
        try
        {
            loaded = IINRModel.Load(Context(), path, out _);
        }
        catch (InvalidDataException) when (IsEarlierToolFormat(path))
        {
            throw new InvalidDataException($"'{path}' is a model file of an earlier version of iinr (iinr/frame.json + iinr/checkpoint.bin); " +
                "this version reads ML.NET model zips: fit the model again.");
        }
        if (loaded is not IINRTransformer transformer)
        {
            (loaded as IDisposable)?.Dispose();
            throw new InvalidDataException($"'{path}' is an ML.NET model zip but holds a {loaded.GetType().Name}, not a single IINR transformer.");
        }
        if (transformer.Image is null || transformer.CoordinateDimension != 2)
        {
            transformer.Dispose();
            throw new InvalidDataException($"'{path}' holds an IINR model of {transformer.CoordinateDimension}-D coordinates that was not fitted to an image; " +
                "iinr renders image models (fit, superres, denoise --model).");
        }
        return transformer;
    }

    /// <summary>
    /// An MLContext whose temporary folders (ML.NET extracts a model zip's entries into <c>ml_dotnet_*</c> folders while it
    /// saves or loads) live in a folder named after this process; such folders of processes that no longer run (killed
    /// before ML.NET could delete them) are removed here, so a killed run leaves nothing behind for long.
    /// </summary>
    static MLContext Context()
    {
        string root = Path.Combine(Path.GetTempPath(), "iinr-mlnet-" + Environment.UserName);
        string mine = Path.Combine(root, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(mine);
        foreach (string folder in Directory.EnumerateDirectories(root))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
        return new MLContext { TempFilePath = mine };
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True for the zip layout of earlier versions of the tool.</summary>
    static bool IsEarlierToolFormat(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry("iinr/frame.json") is not null && zip.GetEntry("iinr/checkpoint.bin") is not null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return false;
        }
    }
}
