using System.Globalization;
using IINR.Signals;

namespace IINR.Cli;

/// <summary>
/// The files a command writes, checked before any work and replaced together at the end. <see cref="Prepare"/> refuses an
/// output that names an input or another output (through any symbolic link) or a directory, creates the output folders
/// and checks that they are writable, so a bad path costs no training; then every write of the command (all of them go
/// through <see cref="AtomicFile"/>) waits in an <see cref="AtomicFileGroup"/> until <see cref="Commit"/> replaces the whole
/// set at once. A command that fails, or is cancelled or killed, leaves every existing file as it was, and two runs
/// writing the same outputs leave the complete set of one of them.
/// </summary>
internal sealed class OutputFiles : IDisposable
{
    readonly AtomicFileGroup _group;

    OutputFiles(AtomicFileGroup group) => _group = group;

    /// <summary>Checks the outputs against the inputs and each other, prepares their folders and starts the group.</summary>
    /// <param name="inputs">The files the command reads, by option (null and built-in inputs are skipped).</param>
    /// <param name="outputs">The files it writes, by option (null: not asked for).</param>
    /// <exception cref="UsageException">An output is a directory, an input, or named by two options.</exception>
    /// <exception cref="UnauthorizedAccessException">An output folder cannot be created or written.</exception>
    public static OutputFiles Prepare(IEnumerable<(string Option, string? Path)> inputs, params (string Option, string? Path)[] outputs)
    {
        var readKeys = inputs.Where(i => i.Path is not null && !Inputs.IsBuiltin(i.Path)).Select(i => (i.Option, Key: Identity(i.Path!))).ToList();
        var written = new List<(string Option, string Key)>();
        foreach (var (option, path) in outputs)
        {
            if (path is null) continue;
            if (Directory.Exists(path)) throw new UsageException($"{option} '{path}' is a directory; name a file.");
            string key = Identity(path);
            if (readKeys.FirstOrDefault(r => r.Key == key) is { Option: { } input })
                throw new UsageException($"{option} '{path}' is the file {input} reads: writing it would replace the input; choose another path.");
            if (written.FirstOrDefault(w => w.Key == key) is { Option: { } other })
                throw new UsageException($"{other} and {option} both name '{path}'; each output needs a file of its own.");
            written.Add((option, key));
        }
        foreach (var folder in outputs.Where(o => o.Path is not null).GroupBy(o => Path.GetDirectoryName(Path.GetFullPath(o.Path!))!))
            CheckWritable(folder.Key, folder.First().Option);
        return new OutputFiles(AtomicFile.Group());
    }

    /// <summary>Replaces every output written since <see cref="Prepare"/>, together.</summary>
    public void Commit() => _group.Commit();

    /// <summary>Abandons uncommitted outputs: their temporary files are deleted, the existing files stay.</summary>
    public void Dispose() => _group.Dispose();

    static void CheckWritable(string folder, string option)
    {
        string probe = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}-write-check"));
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"{option}: cannot write in the folder '{folder}' ({e.Message.TrimEnd('.')}); nothing was done.", e);
        }
    }

    /// <summary>The path with every symbolic link along it resolved, for comparing two names of one file
    /// (case-insensitively where the file system usually is).</summary>
    static string Identity(string path)
    {
        string real = RealPath(Path.GetFullPath(path), depth: 0);
        return OperatingSystem.IsLinux() ? real : real.ToUpperInvariant();
    }

    static string RealPath(string full, int depth)
    {
        string? parent = Path.GetDirectoryName(full);
        if (parent is null || depth > 40) return full;
        string candidate = Path.Combine(RealPath(parent, depth + 1), Path.GetFileName(full));
        try
        {
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                return RealPath(target.FullName, depth + 1);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return candidate;
    }
}
