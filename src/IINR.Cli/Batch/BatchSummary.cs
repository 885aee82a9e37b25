using System.Globalization;
using System.Text;
using IINR.Cli.Output;
using IINR.Signals;
using Microsoft.ML.IINR;

namespace IINR.Cli.Batch;

/// <summary>One image of a folder run: its sizes, times, PSNR on the observations and, with references, its quality.</summary>
/// <param name="Name">The input file name.</param>
/// <param name="Output">The output file name.</param>
/// <param name="Status"><see cref="Done"/>, <see cref="Existing"/> or <see cref="Failed"/>.</param>
/// <param name="Width">Input width.</param>
/// <param name="Height">Input height.</param>
/// <param name="OutputWidth">Output width.</param>
/// <param name="OutputHeight">Output height.</param>
internal sealed record BatchRow(string Name, string Output, string Status, int Width, int Height, int OutputWidth, int OutputHeight)
{
    /// <summary>Fitted and written by this run.</summary>
    public const string Done = "done";
    /// <summary>Its output was already complete (a resumed run).</summary>
    public const string Existing = "existing";
    /// <summary>Not written: see <see cref="Note"/>.</summary>
    public const string Failed = "failed";

    /// <summary>Inference steps of the output (chosen per image by automatic denoising).</summary>
    public int? Steps { get; set; }
    /// <summary>PSNR in dB of the fit on the observed pixels.</summary>
    public double? ObservationPsnr { get; set; }
    /// <summary>Seconds decoding the input.</summary>
    public double? DecodeSeconds { get; set; }
    /// <summary>Seconds fitting.</summary>
    public double? TrainSeconds { get; set; }
    /// <summary>Seconds rendering the output.</summary>
    public double? RenderSeconds { get; set; }
    /// <summary>Seconds encoding and writing the PNG.</summary>
    public double? EncodeSeconds { get; set; }
    /// <summary>The reference file it was compared with.</summary>
    public string? Reference { get; set; }
    /// <summary>PSNR in dB of the output against the reference.</summary>
    public double? Psnr { get; set; }
    /// <summary>SSIM of the output against the reference (null below 11×11 pixels).</summary>
    public double? Ssim { get; set; }
    /// <summary>PSNR in dB of the baseline (bicubic upsampling; for denoising the noisy input) against the reference.</summary>
    public double? BaselinePsnr { get; set; }
    /// <summary>SSIM of the baseline against the reference.</summary>
    public double? BaselineSsim { get; set; }
    /// <summary>Why it failed, or why it was not compared.</summary>
    public string? Note { get; set; }
}

/// <summary>The summary of a folder run: a row per image (sorted by name) and the totals, written as CSV and JSON.</summary>
internal sealed class BatchSummary(string command, FolderBatch.Settings settings, IINRImageTransformer step)
{
    private readonly List<BatchRow> _rows = [];

    /// <summary>The rows so far, in the order added.</summary>
    public IReadOnlyList<BatchRow> Rows => _rows;

    /// <summary>Wall time of the run, in seconds.</summary>
    public double WallSeconds { get; private set; }

    /// <summary>Where the CSV went.</summary>
    public string CsvPath { get; private set; } = "";

    /// <summary>Where the JSON went.</summary>
    public string JsonPath { get; private set; } = "";

    /// <summary>Images with each status.</summary>
    public int Count(string status) => _rows.Count(r => r.Status == status);

    /// <summary>Images fitted per minute of wall time.</summary>
    public double ImagesPerMinute => WallSeconds > 0 ? 60 * Count(BatchRow.Done) / WallSeconds : 0;

    /// <summary>Total seconds of the fitted images in each phase: decoding, training, rendering, encoding.</summary>
    public (double Decode, double Train, double Render, double Encode) Seconds
    {
        get
        {
            var done = _rows.Where(r => r.Status == BatchRow.Done).ToList();
            return (done.Sum(r => r.DecodeSeconds ?? 0), done.Sum(r => r.TrainSeconds ?? 0), done.Sum(r => r.RenderSeconds ?? 0), done.Sum(r => r.EncodeSeconds ?? 0));
        }
    }

    public void Add(BatchRow row) => _rows.Add(row);

    /// <summary>"N images (d done, e existing, f failed) in s, r images/min".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{_rows.Count} images ({Count(BatchRow.Done)} done, {Count(BatchRow.Existing)} existing, {Count(BatchRow.Failed)} failed) in {WallSeconds:0.0} s, {ImagesPerMinute:0.0} images/min");

    /// <summary>Sorts the rows, records the wall time and writes PREFIX.csv and PREFIX.json, each atomically.</summary>
    public void Finish(double wallSeconds, string prefix)
    {
        WallSeconds = wallSeconds;
        _rows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        CsvPath = prefix + ".csv";
        JsonPath = prefix + ".json";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(CsvPath))!);
        AtomicFile.WriteAllText(CsvPath, Csv());
        AtomicFile.WriteAllText(JsonPath, Json() + Environment.NewLine);
    }

    private static readonly string[] Columns =
    [
        "name", "output", "status", "width", "height", "outputWidth", "outputHeight", "steps", "observationPsnr",
        "decodeSeconds", "trainSeconds", "renderSeconds", "encodeSeconds", "reference", "psnr", "ssim", "baselinePsnr", "baselineSsim", "note",
    ];

    private string Csv()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Columns));
        foreach (var r in _rows)
        {
            object?[] values = [r.Name, r.Output, r.Status, r.Width, r.Height, r.OutputWidth, r.OutputHeight, r.Steps, r.ObservationPsnr,
                r.DecodeSeconds, r.TrainSeconds, r.RenderSeconds, r.EncodeSeconds, r.Reference, r.Psnr, r.Ssim, r.BaselinePsnr, r.BaselineSsim, r.Note];
            text.AppendLine(string.Join(',', values.Select(Field)));
        }
        return text.ToString();
    }

    private static string Field(object? value) => value switch
    {
        null => "",
        double d => double.IsFinite(d) ? d.ToString("0.######", CultureInfo.InvariantCulture) : "",
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private string Json()
    {
        var (decode, train, render, encode) = Seconds;
        double busy = decode + train + render + encode;
        var report = new Report(command + " (folder)")
            .Set("input", settings.InputDirectory).Set("output", settings.OutputDirectory).Set("reference", settings.ReferenceDirectory)
            .Set("shard", new { index = settings.Shard.Index, count = settings.Shard.Count })
            .Set("task", step.Task.ToString()).Set("scale", step.Scale).Set("trainScale", step.TrainingScale)
            .Set("jobs", step.ConcurrentFits).Set("threadsPerFit", step.ThreadsPerFit)
            .Set("images", _rows.Count).Set("done", Count(BatchRow.Done)).Set("existing", Count(BatchRow.Existing)).Set("failed", Count(BatchRow.Failed))
            .Set("wallSeconds", WallSeconds).Set("imagesPerMinute", ImagesPerMinute)
            .Set("seconds", new { decode, train, render, encode })
            .Set("shares", busy > 0 ? new { decode = decode / busy, train = train / busy, render = render / busy, encode = encode / busy } : null)
            .Set("baseline", step.Task == IINRImageTask.SuperResolution ? "bicubic" : "noisy input")
            .Set("rows", _rows)
            .SetOptions(step.ModelOptions);
        return report.ToJson();
    }
}

/// <summary>Progress of a folder run: a live bar over the images on a terminal, a line per image otherwise, nothing when quiet.</summary>
internal static class BatchDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports each finished image to the action it is given.</summary>
    public static void Run(CliContext context, bool quiet, string label, int total, Action<Action<BatchRow>> work)
    {
        int count = 0;
        if (quiet || total == 0)
        {
            work(_ => { });
            return;
        }
        if (!context.Interactive)
        {
            work(row =>
            {
                context.Out.WriteLine(Line(label, ++count, total, row));
                context.Out.Flush();
            });
            return;
        }
        ProgressDisplay.LiveBars(context).Start(ctx =>
        {
            var task = ctx.AddTask(Spectre.Console.Markup.Escape($"{label}: {total} images"), autoStart: true, maxValue: total);
            work(row =>
            {
                task.Description = Spectre.Console.Markup.Escape(Line(label, ++count, total, row));
                task.Increment(1);
            });
            task.StopTask();
        });
    }

    /// <summary>"superres 3/10: a.png 32×32 → 128×128, observation PSNR 31.20 dB, 4.1 s" (or why it failed).</summary>
    public static string Line(string label, int done, int total, BatchRow row) =>
        row.Status == BatchRow.Failed
            ? $"{label} {done}/{total}: {row.Name} failed: {row.Note}"
            : FormattableString.Invariant($"{label} {done}/{total}: {row.Name} {row.Width}×{row.Height} → {row.OutputWidth}×{row.OutputHeight}, observation PSNR {row.ObservationPsnr:0.00} dB, {(row.TrainSeconds ?? 0) + (row.RenderSeconds ?? 0):0.0} s")
              + (row.Psnr is double p ? FormattableString.Invariant($", PSNR {p:0.00} dB (baseline {row.BaselinePsnr:0.00})") : "");
}
