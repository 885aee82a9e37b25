using System.Text.Json;
using IINR.Cli;

namespace IINR.Tests.Cli;

/// <summary>Runs the CLI in-process and keeps its files in a temporary folder.</summary>
internal sealed class CliHarness : IDisposable
{
    /// <summary>A tiny network and few iterations: every command on tiny data finishes in about a second.</summary>
    public static readonly string[] Tiny = ["--iterations", "12", "--hidden-layers", "1", "--hidden-size", "16", "--threads", "1", "--device", "cpu"];

    public CliHarness()
    {
        Dir = Path.Combine(Path.GetTempPath(), "iinr-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    public string Dir { get; }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public CliRun Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString(), string.Join(' ', args));
    }

    public CliRun RunTiny(params string[] args) => Run([.. args, .. Tiny]);

    public JsonElement ReadReport(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf(name)));
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal sealed record CliRun(int Code, string Out, string Error, string Args)
{
    public CliRun Succeeded()
    {
        Assert.AreEqual(0, Code, $"iinr {Args} failed with {Code}: {Error}\n{Out}");
        Assert.AreEqual("", Error, $"iinr {Args}: nothing on stderr on success");
        return this;
    }

    /// <summary>Non-zero exit with exactly one line on stderr.</summary>
    public CliRun FailedWithOneLine(int code)
    {
        Assert.AreEqual(code, Code, $"iinr {Args}: exit code (stderr: {Error})");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.HasCount(1, lines, $"iinr {Args}: one line on stderr, got: {Error}");
        StringAssert.StartsWith(lines[0], "iinr", $"iinr {Args}: the line names the tool");
        return this;
    }
}
