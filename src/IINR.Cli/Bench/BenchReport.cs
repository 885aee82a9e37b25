using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IINR.Cli.Output;
using IINR.Signals;

namespace IINR.Cli.Bench;

/// <summary>The benchmark's output: one Markdown table per suite and every raw number as JSON.</summary>
public sealed class BenchReport
{
    readonly StringBuilder _markdown = new();
    readonly JsonObject _json = [];

    /// <summary>Raw numbers, by suite.</summary>
    public JsonObject Json => _json;

    /// <summary>The Markdown written so far.</summary>
    public string Markdown => _markdown.ToString();

    /// <summary>Starts the document with the settings and the machine.</summary>
    public void Header(BenchSettings s, string machine)
    {
        _markdown.AppendLine("# iinr bench results").AppendLine();
        _markdown.AppendLine($"- Machine: {machine}");
        _markdown.AppendLine($"- Images: {(s.ImagesDirectory ?? $"generated ({s.ImageCount})")}, {s.Size}×{s.Size}; network {s.HiddenLayers}×{s.HiddenSize}; " +
            $"{s.Iterations} iterations; seeds {s.Seeds}; occupancy R = {s.OccupancyResolution}").AppendLine();
        _json["settings"] = Report.ToNode(s);
        _json["machine"] = machine;
    }

    /// <summary>Adds a suite's table: a heading, a note, the header row and the rows.</summary>
    public void Table(string title, string? note, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        _markdown.AppendLine($"## {title}").AppendLine();
        if (note is not null) _markdown.AppendLine(note).AppendLine();
        _markdown.AppendLine("| " + string.Join(" | ", columns) + " |");
        _markdown.AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var r in rows) _markdown.AppendLine("| " + string.Join(" | ", r) + " |");
        _markdown.AppendLine();
    }

    /// <summary>Appends a raw record to a suite's JSON array.</summary>
    public void Raw(string suite, object record)
    {
        if (_json[suite] is not JsonArray array) _json[suite] = array = [];
        array.Add(Report.ToNode(record));
    }

    /// <summary>Adds a free line of Markdown.</summary>
    public void Line(string text) => _markdown.AppendLine(text).AppendLine();

    /// <summary>Writes results.md and results.json into <paramref name="directory"/>.</summary>
    public (string Markdown, string Json) Write(string directory)
    {
        Directory.CreateDirectory(directory);
        string md = Path.Combine(directory, "results.md"), js = Path.Combine(directory, "results.json");
        // Replaced as a pair: a reader (or a killed run) never sees the tables of one suite with the numbers of another.
        using var pair = AtomicFile.Group();
        AtomicFile.WriteAllText(md, Markdown);
        AtomicFile.WriteAllText(js, _json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        pair.Commit();
        return (md, js);
    }

    /// <summary>A number with fixed decimals ("–" when not finite).</summary>
    public static string F(double v, int decimals = 2) => double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "–";

    /// <summary>A signed number ("+1.23").</summary>
    public static string Signed(double v, int decimals = 2) => double.IsFinite(v) ? (v >= 0 ? "+" : "") + v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "–";

    /// <summary>"mean ± std" of <paramref name="values"/> (just the value for one).</summary>
    public static string MeanStd(IReadOnlyList<double> values, int decimals = 2)
    {
        double mean = values.Average();
        if (values.Count == 1) return F(mean, decimals);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return $"{F(mean, decimals)} ± {F(sd, decimals)}";
    }
}
