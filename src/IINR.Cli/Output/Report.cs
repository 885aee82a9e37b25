using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IINR.Signals;
using IINR.Trainers;

namespace IINR.Cli.Output;

/// <summary>The JSON report of a command: an ordered set of named values, written with <c>--report</c>.
/// Non-finite numbers (an SSIM that cannot be computed, an infinite PSNR) are written as null.</summary>
internal sealed class Report
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    readonly JsonObject _root = [];

    public Report(string command)
    {
        _root["command"] = command;
        _root["version"] = typeof(Report).Assembly.GetName().Version?.ToString(3);
    }

    public JsonObject Root => _root;

    /// <summary>Sets a value; doubles that are not finite become null.</summary>
    public Report Set(string name, object? value)
    {
        _root[name] = ToNode(value);
        return this;
    }

    /// <summary>The model options, every field, under "options".</summary>
    public Report SetOptions(InrOptions options)
    {
        _root["options"] = JsonSerializer.SerializeToNode(options, Json);
        _root["learningRate"] = options.EffectiveLearningRate;
        return this;
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        double d => double.IsFinite(d) ? JsonValue.Create(Math.Round(d, 6)) : null,
        float f => float.IsFinite(f) ? JsonValue.Create(Math.Round((double)f, 6)) : null,
        JsonNode n => n,
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Json),
    };

    public string ToJson() => _root.ToJsonString(Json);

    public void Write(string path)
    {
        AtomicFile.WriteAllText(path, ToJson() + Environment.NewLine);
    }
}
