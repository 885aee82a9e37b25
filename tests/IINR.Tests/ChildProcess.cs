using System.Diagnostics;

namespace IINR.Tests;

/// <summary>Runs a .NET program of the test output (IINR.FreshLoad, the iinr tool) as a separate process.</summary>
internal static class ChildProcess
{
    /// <summary>The dotnet host running the tests.</summary>
    public static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self != null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    /// <summary>Starts <c>dotnet &lt;dll&gt; args</c> for a dll next to the tests, with stdout and stderr redirected.</summary>
    public static Process Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    /// <summary>Starts <c>dotnet &lt;dll&gt; args</c> with these environment variables added.</summary>
    public static Process Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    /// <summary>Waits for a started process (at most 2 minutes); returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Finish(Process process, string what)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{what} did not finish within 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <c>dotnet &lt;dll&gt; args</c> to the end (at most 2 minutes); returns its exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string dll, params string[] args)
    {
        using var process = Start(dll, args);
        return Finish(process, dll);
    }
}
