using System.Diagnostics;
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace IINR.Cli.Batch;

/// <summary>
/// Folder mode of <c>iinr superres</c> and <c>iinr denoise</c>: every PNG, JPEG and BMP image of a folder (this
/// process's <see cref="Shard"/> of it) through the library's image-column step (<see cref="IINRImageTransformer.Process{TSource}"/>,
/// <c>--jobs</c> images at a time), each output written as a PNG named after its input, then a summary as CSV and JSON.
/// </summary>
/// <remarks>
/// Resumable and safe to kill: outputs are written to a temporary name and renamed (<see cref="AtomicFile"/>), and an
/// image whose output already exists, decodes and has the expected size is not fitted again. An image's output depends
/// only on the image and the options (the step seeds each fit from the image), so a rerun, another shard or another
/// <c>--jobs</c> writes the same bytes.
/// </remarks>
internal static class FolderBatch
{
    /// <summary>The image columns the step reads and writes.</summary>
    public const string InputColumn = "Image", OutputColumn = "Output";

    /// <summary>The input file extensions (case-insensitive).</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp"];

    /// <summary>What to run.</summary>
    /// <param name="Command">The command's name (superres, denoise), for messages.</param>
    /// <param name="InputDirectory">The folder of input images (not searched recursively).</param>
    /// <param name="OutputDirectory">Where the PNGs go (created if needed; must not be the input folder).</param>
    /// <param name="ReferenceDirectory">Optional folder of reference images, matched by file name (same stem, any of the extensions).</param>
    /// <param name="Jobs">Images fitted at the same time.</param>
    /// <param name="Shard">This process's share of the folder.</param>
    /// <param name="SummaryPrefix">PREFIX of PREFIX.csv and PREFIX.json; null = OUTPUT/iinr-summary plus the shard's suffix.</param>
    /// <param name="Quiet">No progress and no summary line.</param>
    internal sealed record Settings(string Command, string InputDirectory, string OutputDirectory, string? ReferenceDirectory,
        int Jobs, Shard Shard, string? SummaryPrefix, bool Quiet);

    /// <summary>One input image and where its output and reference are.</summary>
    internal sealed record Item(string Name, string InputPath, string OutputPath, string? ReferencePath);

    /// <summary>Runs the folder; returns the summary (also written to disk). Cancellation throws <see cref="OperationCanceledException"/>.</summary>
    /// <param name="context">Output and cancellation.</param>
    /// <param name="settings">What to run.</param>
    /// <param name="createStep">The command's image step from the library's catalog, with the execution settings given.</param>
    public static BatchSummary Run(CliContext context, Settings settings, Func<MLContext, IINRImageExecution, IINRImageEstimator> createStep)
    {
        var clock = Stopwatch.StartNew();
        var items = List(settings);
        var ml = new MLContext();
        var execution = new IINRImageExecution { ConcurrentFits = settings.Jobs, CancellationToken = context.Cancellation };
        var estimator = createStep(ml, execution);
        // The step learns nothing from data: fitting it on an empty image column only checks the schema.
        var step = estimator.Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImageRow>()));
        var summary = new BatchSummary(settings.Command, settings, step);
        string prefix = settings.SummaryPrefix ?? Path.Combine(settings.OutputDirectory, "iinr-summary" + settings.Shard.Suffix);

        RemoveStaleTemporaries(settings.OutputDirectory, items);
        var pending = new List<Item>();
        foreach (var item in items)
        {
            if (Existing(item, step) is { } done) summary.Add(done);
            else pending.Add(item);
        }
        if (!settings.Quiet && summary.Rows.Count > 0)
            context.Out.WriteLine($"{settings.Command}: {summary.Rows.Count} of {items.Count} images already have complete outputs; fitting the other {pending.Count}.");

        BatchDisplay.Run(context, settings.Quiet, settings.Command, pending.Count, report =>
        {
            foreach (var outcome in step.Process(pending, item => ImageFile.Load(item.InputPath)))
            {
                var row = Write(outcome, step.Task);
                summary.Add(row);
                report(row);
            }
        });
        summary.Finish(clock.Elapsed.TotalSeconds, prefix);
        if (!settings.Quiet)
            context.Out.WriteLine($"{settings.Command}: {summary.Describe()}; wrote {settings.OutputDirectory}, {summary.CsvPath} and {summary.JsonPath}");
        return summary;
    }

    /// <summary>The images of the folder that belong to the shard, sorted by name; checks the folders and the output names.</summary>
    internal static List<Item> List(Settings s)
    {
        if (!Directory.Exists(s.InputDirectory))
            throw new DirectoryNotFoundException($"Input folder '{s.InputDirectory}' was not found.");
        if (s.ReferenceDirectory is not null && !Directory.Exists(s.ReferenceDirectory))
            throw new UsageException($"--reference must be a folder in folder mode; '{s.ReferenceDirectory}' is not one.");
        if (Extensions.Contains(Path.GetExtension(s.OutputDirectory), StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--output must be a folder when --input is one; got '{s.OutputDirectory}'.");
        if (SameFolder(s.InputDirectory, s.OutputDirectory))
            throw new UsageException($"--output must be another folder than --input ('{s.InputDirectory}'): outputs are named after their inputs and would replace them.");
        var names = Directory.EnumerateFiles(s.InputDirectory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal)
                && Extensions.Contains(Path.GetExtension(n), StringComparer.OrdinalIgnoreCase))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
            throw new UsageException($"--input folder '{s.InputDirectory}' holds no PNG, JPEG or BMP images.");
        // a.jpg and a.png would both write a.png; case-insensitive, as on Windows and macOS file systems.
        var clash = names.GroupBy(OutputName, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new UsageException($"Inputs {string.Join(" and ", clash.Select(n => $"'{n}'"))} would both be written to '{clash.Key}'; rename one.");

        Directory.CreateDirectory(s.OutputDirectory);
        return names.Where(s.Shard.Owns).Select(n => new Item(n, Path.Combine(s.InputDirectory, n),
            Path.Combine(s.OutputDirectory, OutputName(n)), s.ReferenceDirectory is null ? null : Reference(s.ReferenceDirectory, n))).ToList();
    }

    /// <summary>The output file name of an input: its stem with ".png".</summary>
    internal static string OutputName(string inputName) => Path.GetFileNameWithoutExtension(inputName) + ".png";

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    // The reference of an input: the same file name, else the same stem with another image extension; null if none.
    private static string? Reference(string folder, string inputName)
    {
        string stem = Path.GetFileNameWithoutExtension(inputName);
        return new[] { inputName }.Concat(Extensions.Select(e => stem + e))
            .Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);
    }

    // Temporary files a killed run left for this shard's outputs (another shard's, possibly being written now, stay).
    private static void RemoveStaleTemporaries(string outputDirectory, List<Item> items)
    {
        var outputs = items.Select(i => Path.GetFileName(i.OutputPath)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(outputDirectory, AtomicFile.TemporaryPrefix + "*"))
        {
            // AtomicFile's names: prefix, 12 hex digits, '-', the target's name.
            string name = Path.GetFileName(path);
            int dash = AtomicFile.TemporaryPrefix.Length + 12;
            if (name.Length > dash + 1 && name[dash] == '-' && outputs.Contains(name[(dash + 1)..]))
                File.Delete(path);
        }
    }

    // The summary row of an image whose output is already complete (it decodes and has the expected size); null otherwise.
    private static BatchRow? Existing(Item item, IINRImageTransformer step)
    {
        if (!File.Exists(item.OutputPath)) return null;
        SignalImage input, output;
        try
        {
            output = ImageFile.Load(item.OutputPath);
            input = ImageFile.Load(item.InputPath);
        }
        catch (InvalidDataException)
        {
            return null; // a damaged output is written again; a damaged input fails when it is fitted
        }
        var (width, height) = step.Task == IINRImageTask.SuperResolution ? ImageFrame.Of(input).Scaled(step.Scale) : (input.Width, input.Height);
        if (output.Width != width || output.Height != height) return null;
        var row = new BatchRow(item.Name, Path.GetFileName(item.OutputPath), BatchRow.Existing, input.Width, input.Height, width, height);
        Compare(row, item, input, output, step.Task);
        return row;
    }

    // Writes a fitted output as a PNG (atomically) and fills in its row.
    private static BatchRow Write(IINRImageOutcome<Item> outcome, IINRImageTask task)
    {
        var item = outcome.Source;
        string outputName = Path.GetFileName(item.OutputPath);
        if (outcome.Error is { } error || outcome.Output is null || outcome.Input is null)
            return new BatchRow(item.Name, outputName, BatchRow.Failed, outcome.Input?.Width ?? 0, outcome.Input?.Height ?? 0, 0, 0)
            {
                DecodeSeconds = outcome.LoadSeconds,
                Note = ErrorText.OneLine(outcome.Error ?? new InvalidDataException("no output")),
            };
        var clock = Stopwatch.StartNew();
        byte[] png = ImageFile.EncodePng(outcome.Output);
        AtomicFile.WriteAllBytes(item.OutputPath, png);
        double encodeSeconds = clock.Elapsed.TotalSeconds;
        var row = new BatchRow(item.Name, outputName, BatchRow.Done, outcome.Input.Width, outcome.Input.Height, outcome.Output.Width, outcome.Output.Height)
        {
            Steps = outcome.Steps,
            ObservationPsnr = outcome.ObservationPsnr,
            DecodeSeconds = outcome.LoadSeconds,
            TrainSeconds = outcome.TrainSeconds,
            RenderSeconds = outcome.RenderSeconds,
            EncodeSeconds = encodeSeconds,
        };
        // Against the reference as written: the 8-bit PNG, as for an output that already existed.
        if (item.ReferencePath is not null) Compare(row, item, outcome.Input, ImageFile.Decode(png, item.OutputPath), task);
        return row;
    }

    // PSNR/SSIM of the output and of the baseline (bicubic upsampling for super-resolution, the noisy input for denoising) against the reference.
    private static void Compare(BatchRow row, Item item, SignalImage input, SignalImage output, IINRImageTask task)
    {
        if (item.ReferencePath is null) return;
        SignalImage reference;
        try
        {
            reference = ImageFile.Load(item.ReferencePath);
        }
        catch (InvalidDataException e)
        {
            row.Note = ErrorText.OneLine(e);
            return;
        }
        if (reference.Width != output.Width || reference.Height != output.Height || reference.Channels != output.Channels)
        {
            row.Note = $"reference {Path.GetFileName(item.ReferencePath)} is {reference.Shape}, the output {output.Shape}: not compared";
            return;
        }
        var baseline = task == IINRImageTask.SuperResolution ? Resampling.ResizeBicubic(input, output.Width, output.Height) : input;
        var ours = IINRMetrics.FromImages(reference, output.Clamp01());
        var theirs = IINRMetrics.FromImages(reference, baseline.Clamp01());
        row.Reference = Path.GetFileName(item.ReferencePath);
        (row.Psnr, row.Ssim, row.BaselinePsnr, row.BaselineSsim) = (ours.Psnr, ours.Ssim, theirs.Psnr, theirs.Ssim);
    }

    /// <summary>A variable-size image column (<see cref="MLImageConversions.RegisterVariableSizeImageType"/>), for the step's schema check.</summary>
    private sealed class ImageRow
    {
        public MLImage? Image { get; set; }
    }
}
