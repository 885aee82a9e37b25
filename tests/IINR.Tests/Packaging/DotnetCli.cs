using System.Diagnostics;
using System.Text;

namespace IINR.Tests.Packaging;

/// <summary>
/// Runs the dotnet CLI (or a program it produced) as a child process with the output captured, for
/// tests that pack, build and install like an application developer. The child gets no MSBuild
/// state of the test run's own build and no build servers, so nothing outlives it.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host running the tests (or the one on PATH).</summary>
    public static string Host
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
            var self = Environment.ProcessPath;
            return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    /// <summary>Runs <paramref name="fileName"/>; returns its exit code and stdout and stderr interleaved.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> args, string workingDirectory,
        TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish within {timeout.TotalMinutes} minutes.\n{Tail(output.ToString())}");
        }
        process.WaitForExit(); // drains the asynchronous readers
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>Runs a dotnet CLI command and fails the test, with the end of its output, unless it succeeds.</summary>
    public static string Succeed(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (exitCode, output) = Run(Host, args, workingDirectory, timeout, environment);
        Assert.AreEqual(0, exitCode, $"dotnet {string.Join(' ', args)} failed in {workingDirectory}:\n{Tail(output)}");
        return output;
    }

    /// <summary>The last lines of a long log, for assertion messages.</summary>
    public static string Tail(string log, int lines = 60) => string.Join('\n', log.Split('\n').TakeLast(lines));
}
