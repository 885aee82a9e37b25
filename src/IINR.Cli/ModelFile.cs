using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using IINR.Cli.Tasks;
using IINR.Trainers;
using Microsoft.ML.IINR;

namespace IINR.Cli;

/// <summary>A model read by <see cref="ModelFile.Load"/>: the network, the image frame it was fitted in and its
/// preferred inference steps. Owns the model: dispose it.</summary>
/// <param name="Model">The network.</param>
/// <param name="Frame">The image frame.</param>
/// <param name="Steps">Inference steps to use unless told otherwise (e.g. chosen by denoising); null = the model's trained setting.</param>
public sealed record LoadedModel(InrModel Model, ImageFrame Frame, int? Steps) : IDisposable
{
    /// <summary>Frees the model.</summary>
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// The model file of the <c>iinr</c> tool: a zip archive holding the core checkpoint
/// (<c>iinr/checkpoint.bin</c>, <see cref="InrModel.Save"/>) and a small JSON description of the image frame
/// (<c>iinr/frame.json</c>: format, version, width, height, channels, extents, steps). The one place that knows the
/// layout, so it can be switched to the ML.NET model zip later.
/// </summary>
public static class ModelFile
{
    /// <summary>The format name written into <c>iinr/frame.json</c>.</summary>
    public const string FormatName = "iinr-cli-model";

    /// <summary>The format version this tool writes and reads.</summary>
    public const int FormatVersion = 1;

    const string CheckpointEntry = "iinr/checkpoint.bin";
    const string FrameEntry = "iinr/frame.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    sealed record FrameJson(string Format, int Version, string Kind, int Width, int Height, int Channels, double ExtentX, double ExtentY, int? Steps);

    /// <summary>Writes <paramref name="model"/> and its <paramref name="frame"/> to <paramref name="path"/> (created or overwritten).</summary>
    /// <param name="model">A 2-D image model.</param>
    /// <param name="frame">The frame it was fitted in.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="steps">Preferred inference steps to store (null = the model's trained setting).</param>
    public static void Save(InrModel model, ImageFrame frame, string path, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (model.InputDims != 2 || model.Channels != frame.Channels)
            throw new ArgumentException($"The model maps {model.InputDims}-D coordinates to {model.Channels} channels; an image frame of {frame.Channels} channels needs 2-D coordinates and {frame.Channels} channels.", nameof(model));
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry(FrameEntry, CompressionLevel.Optimal).Open())
                JsonSerializer.Serialize(s, new FrameJson(FormatName, FormatVersion, "image", frame.Width, frame.Height, frame.Channels, frame.ExtentX, frame.ExtentY, steps), Json);
            using (var s = zip.CreateEntry(CheckpointEntry, CompressionLevel.Fastest).Open())
                model.Save(s);
        }
        File.WriteAllBytes(path, buffer.ToArray());
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an <c>iinr</c> model file or is damaged; the message names it.</exception>
    public static LoadedModel Load(string path, ComputeDevice device = ComputeDevice.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' was not found.", path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var frameEntry = zip.GetEntry(FrameEntry);
            var checkpointEntry = zip.GetEntry(CheckpointEntry);
            if (frameEntry is null || checkpointEntry is null)
                throw new InvalidDataException($"'{path}' is a zip archive but not an iinr model file: it lacks {(frameEntry is null ? FrameEntry : CheckpointEntry)}.");
            FrameJson frame;
            using (var s = frameEntry.Open())
                frame = JsonSerializer.Deserialize<FrameJson>(s, Json) ?? throw new InvalidDataException($"'{path}': {FrameEntry} is empty.");
            if (frame.Format != FormatName)
                throw new InvalidDataException($"'{path}': {FrameEntry} names format '{frame.Format}', not '{FormatName}'.");
            if (frame.Version != FormatVersion)
                throw new InvalidDataException($"'{path}' is an iinr model file of version {frame.Version}; this tool reads version {FormatVersion}.");
            if (frame.Kind != "image")
                throw new InvalidDataException($"'{path}' holds a model of kind '{frame.Kind}'; this tool reads image models.");
            if (frame.Width < 1 || frame.Height < 1 || frame.Channels < 1 || !(frame.ExtentX > 0) || !(frame.ExtentY > 0) || frame.Steps is < 1 or > 1000)
                throw new InvalidDataException($"'{path}': {FrameEntry} describes an impossible frame ({frame.Width}×{frame.Height}×{frame.Channels}, extents {frame.ExtentX}, {frame.ExtentY}).");
            InrModel model;
            using (var s = checkpointEntry.Open())
                model = InrModel.Load(s, device);
            if (model.InputDims != 2 || model.Channels != frame.Channels)
            {
                model.Dispose();
                throw new InvalidDataException($"'{path}': the checkpoint maps {model.InputDims}-D coordinates to {model.Channels} channels, but the frame is a {frame.Channels}-channel image.");
            }
            return new LoadedModel(model, new ImageFrame(frame.Width, frame.Height, frame.Channels, frame.ExtentX, frame.ExtentY), frame.Steps);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a readable iinr model file: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable iinr model file: {FrameEntry} is not valid JSON ({e.Message}).", e);
        }
    }
}
