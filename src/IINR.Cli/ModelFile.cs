using System.IO.Compression;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.IINR;
using TorchSharp;

namespace IINR.Cli;

/// <summary>
/// The model file of the <c>iinr</c> tool: an ML.NET model zip holding one <see cref="IINRTransformer"/> with its
/// image frame and inference steps (<c>mlContext.Model.Save</c>, with the input schema of
/// <c>mlContext.Data.LoadFromImage</c>), so <c>mlContext.Model.Load</c> opens it in any ML.NET application that
/// references Microsoft.ML.IINR. The one place in the tool that knows this.
/// </summary>
public static class ModelFile
{
    /// <summary>Writes <paramref name="model"/>, fitted in <paramref name="frame"/>, to <paramref name="path"/> (created or
    /// overwritten). The caller keeps its model: the file is written from a copy.</summary>
    /// <param name="model">A 2-D image model.</param>
    /// <param name="frame">The frame it was fitted in.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="steps">Inference steps to store (null = the model's trained setting).</param>
    public static void Save(InrModel model, ImageFrame frame, string path, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentException.ThrowIfNullOrEmpty(path);
        // IINRTransformer.FromModel owns what it wraps; the caller's result still owns (and disposes) the model.
        InrModel copy;
        using (var checkpoint = new MemoryStream())
        {
            model.Save(checkpoint);
            checkpoint.Position = 0;
            copy = InrModel.Load(checkpoint, model.Device.type == DeviceType.CPU ? ComputeDevice.Cpu : ComputeDevice.Cuda);
        }
        IINRTransformer transformer;
        try
        {
            transformer = IINRTransformer.FromModel(copy, frame, steps);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        using (transformer)
            new MLContext().Model.Save(transformer, transformer.GetInputSchema(), path);
    }

    /// <summary>Reads a model file: an ML.NET model zip holding an IINR transformer fitted to an image. Dispose the result.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not such a model zip or is damaged; the message names it and says why.</exception>
    public static IINRTransformer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' was not found.", path);
        ITransformer loaded;
        try
        {
            loaded = IINRModel.Load(new MLContext(), path, out _);
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
