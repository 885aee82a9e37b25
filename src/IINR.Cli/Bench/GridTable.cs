using System.Text.Json.Nodes;
using IINR.Trainers.Backbones;

namespace IINR.Cli.Bench;

/// <summary>
/// The backbone × task table of <c>iinr bench --suite grid</c>, built from the raw records of the fit, restoration and
/// occupancy suites. A cell is the mean over that task's images or shapes, plain → iterative; it fails when its mean
/// falls below the task's failure line:
/// <list type="bullet">
/// <item>fitting: the image kept at a quarter of its values (area-downscaled 2×, bicubic back), which a network with
/// a quarter as many weights as values or more must beat;</item>
/// <item>4× super-resolution: bicubic from the same observed pixels;</item>
/// <item>denoising: the noisy input;</item>
/// <item>3-D occupancy: IoU 0.95 on uniform random points off the training points.</item>
/// </list>
/// </summary>
internal sealed record GridTable(string Note, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string> Failures, IReadOnlyList<string> IterativeBelowPlain)
{
    /// <summary>IoU under which an occupancy fit fails.</summary>
    public const double OccupancyFailureIoU = 0.95;

    // One task: its column title, the raw records that belong to it, and how to read a record.
    sealed record Task(string Title, string Suite, Func<JsonNode, bool> Belongs, string LineField, string LineName, string PlainField,
        string IterativeField, int Decimals, double? FixedLine = null);

    /// <summary>Builds the table for <paramref name="backbones"/> from <paramref name="json"/>, a report holding the
    /// records of the grid's runs ("fit", "restoration", "occupancy").</summary>
    public static GridTable From(JsonObject json, IReadOnlyList<BackboneKind> backbones)
    {
        var restoration = json["restoration"] as JsonArray;
        string srTitle = restoration?.FirstOrDefault(r => (string?)r!["task"] == "sr4x") is { } sr ? $"SR 4× from {Number(sr["from"]):0}² (dB)" : "SR 4× (dB)";
        string denoiseTitle = restoration?.FirstOrDefault(r => (string?)r!["task"] == "denoise") is { } dn ? $"denoising τ = {Number(dn["tau"]):0} (dB)" : "denoising (dB)";
        Task[] tasks =
        [
            new("fitting (dB)", "fit", _ => true, "quarterPsnr", "quarter-size bicubic", "plainPsnr", "iterativePsnr", 2),
            new(srTitle, "restoration", r => (string?)r["task"] == "sr4x", "bicubicPsnr", "bicubic", "plainPsnr", "iterativePsnr", 2),
            new(denoiseTitle, "restoration", r => (string?)r["task"] == "denoise", "noisyPsnr", "noisy input", "plainPsnr", "iterativePsnr", 2),
            new("occupancy IoU", "occupancy", _ => true, "", "IoU", "plainUniformIoU", "iterativeUniformIoU", 4, OccupancyFailureIoU),
        ];
        var failures = new List<string>();
        var below = new List<string>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var kind in backbones)
        {
            var row = new List<string> { kind.ToString() };
            foreach (var task in tasks)
            {
                var records = (json[task.Suite] as JsonArray ?? []).Where(r => (string?)r!["backbone"] == kind.ToString() && task.Belongs(r!)).ToList();
                if (records.Count == 0) { row.Add("–"); continue; }
                double Mean(string field) => records.Average(r => Number(r![field]));
                double line = task.FixedLine ?? Mean(task.LineField), plain = Mean(task.PlainField), iterative = Mean(task.IterativeField);
                string where = $"{kind} {task.Title}";
                var failed = new List<string>();
                if (plain < line) failed.Add("plain");
                if (iterative < line) failed.Add("I-");
                if (failed.Count > 0) failures.Add($"{where}: {string.Join(" and ", failed)} below {task.LineName} {BenchReport.F(line, task.Decimals)}");
                if (iterative < plain) below.Add($"{where}: {BenchReport.Signed(iterative - plain, task.Decimals)}");
                string reference = task.FixedLine is null ? $" ({task.LineName} {BenchReport.F(line, task.Decimals)})" : "";
                row.Add($"{BenchReport.F(plain, task.Decimals)} → {BenchReport.F(iterative, task.Decimals)}{reference}" +
                    (failed.Count > 0 ? $" **fails: {string.Join(", ", failed)}**" : ""));
            }
            rows.Add(row);
        }
        string note = "Each backbone at its task preset (as the commands run it), seed 0; a cell is the mean over the task's images or shapes, " +
            "plain → I-version, with the failure line in brackets. A cell fails when its mean falls below the line: fitting below the image kept " +
            "at a quarter of its values (area-downscaled 2×, bicubic back: what storing a quarter of the numbers keeps), super-resolution below " +
            $"bicubic, denoising below the noisy input, occupancy below IoU {OccupancyFailureIoU:0.00} on uniform random points off the training points.";
        return new GridTable(note, ["backbone", .. tasks.Select(t => t.Title)], rows, failures, below);
    }

    // A JSON number, whether the report holds it as an integer or a double.
    static double Number(JsonNode? node) =>
        node is null ? double.NaN : double.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}
