using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace IINR.Cli.Bench;

/// <summary>One run of the PyTorch peer: its training loop's wall time and its median step.</summary>
/// <param name="TotalSeconds">Wall time of the training loop (first iterations included; imports and set-up not).</param>
/// <param name="MedianStepMs">Median ms per iteration over iterations 10–59 (or as many as ran).</param>
public sealed record PeerResult(double TotalSeconds, double MedianStepMs);

/// <summary>
/// The same plain SIREN in PyTorch (bench/peer/siren_bench.py, embedded in this tool), run by a
/// python3 that has torch, with jemalloc and the pthread OpenBLAS preloaded where installed (PyTorch's
/// fastest set-up on this kind of machine). Absent python3-torch, the speed suite leaves the PyTorch
/// column empty; nothing else depends on it.
/// </summary>
public sealed partial class PyTorchPeer
{
    const string Jemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
    const string OpenBlasDirectory = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    readonly string _python, _script;

    PyTorchPeer(string python, string script)
    {
        _python = python;
        _script = script;
    }

    /// <summary>Why <see cref="Find"/> found no peer (null when it did).</summary>
    public static string? Missing { get; private set; }

    /// <summary>The python command in use.</summary>
    public string Python => _python;

    /// <summary>A peer, or null (see <see cref="Missing"/>) when no python3 with torch is installed. The environment variable
    /// IINR_PYTHON names the python to try first; IINR_PYTHON=none leaves the peer out.</summary>
    public static PyTorchPeer? Find()
    {
        string? chosen = Environment.GetEnvironmentVariable("IINR_PYTHON");
        if (chosen == "none")
        {
            Missing = "left out (IINR_PYTHON=none)";
            return null;
        }
        var candidates = new[] { chosen, "/usr/bin/python3", "python3" }.OfType<string>().Distinct();
        foreach (var python in candidates)
        {
            if (Run(python, ["-c", "import torch"], null, TimeSpan.FromMinutes(1)).ExitCode != 0) continue;
            string script = Path.Combine(Path.GetTempPath(), $"iinr-siren-bench-{Environment.ProcessId}.py");
            using (var resource = typeof(PyTorchPeer).Assembly.GetManifestResourceStream("siren_bench.py")
                ?? throw new InvalidOperationException("The PyTorch peer script is missing from the tool."))
            using (var file = File.Create(script))
                resource.CopyTo(file);
            Missing = null;
            return new PyTorchPeer(python, script);
        }
        Missing = "no python3 with torch (Debian: apt-get install python3-torch libjemalloc2 libopenblas0-pthread)";
        return null;
    }

    /// <summary>Trains <paramref name="iterations"/> iterations on a <paramref name="size"/>² grid with <paramref name="threads"/> threads.</summary>
    public PeerResult Train(int threads, int iterations, int size)
    {
        var env = new Dictionary<string, string>();
        if (File.Exists(Jemalloc))
        {
            env["LD_PRELOAD"] = Jemalloc;
            env["MALLOC_CONF"] = "dirty_decay_ms:-1,muzzy_decay_ms:-1";
        }
        if (Directory.Exists(OpenBlasDirectory)) env["LD_LIBRARY_PATH"] = OpenBlasDirectory;
        var (code, output) = Run(_python, [_script, threads.ToString(CultureInfo.InvariantCulture), iterations.ToString(CultureInfo.InvariantCulture), "3",
            size.ToString(CultureInfo.InvariantCulture)], env, TimeSpan.FromHours(2));
        var m = TrainLine().Match(output);
        if (code != 0 || !m.Success)
            throw new InvalidOperationException($"The PyTorch peer failed (exit {code}): {output[Math.Max(0, output.Length - 600)..]}");
        return new PeerResult(double.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["median"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Deletes the script written by <see cref="Find"/>.</summary>
    public void Delete() => File.Delete(_script);

    static (int ExitCode, string Output) Run(string file, string[] args, IReadOnlyDictionary<string, string>? env, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        try
        {
            using var p = Process.Start(start)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(timeout)) { p.Kill(entireProcessTree: true); return (-1, "timed out"); }
            return (p.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [GeneratedRegex(@"TRAIN: median ms/iter \(it \d+-\d+\) (?<median>[0-9.]+);.*total (?<total>[0-9.]+) s for")]
    private static partial Regex TrainLine();
}
