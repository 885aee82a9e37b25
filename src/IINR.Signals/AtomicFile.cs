using System.Diagnostics;
using System.Globalization;

namespace IINR.Signals;

/// <summary>
/// Writes files so that a reader (or a rerun after a crash) sees either the old file or the complete
/// new one, never a part: the content goes to a temporary file in the target's folder, is flushed to
/// disk, and is then renamed over the target, which is atomic within one file system. Inside a
/// <see cref="Group"/> the renames wait for <see cref="AtomicFileGroup.Commit"/>, so a set of outputs is replaced
/// together or not at all.
/// </summary>
public static class AtomicFile
{
    /// <summary>The prefix of temporary files (followed by the writer's process id and the target's name). A killed writer
    /// leaves at most such a file behind, never a damaged target; the next write to the same target removes it.</summary>
    public const string TemporaryPrefix = ".iinr-tmp-";

    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes to the stream it is given.</summary>
    /// <param name="path">The file to create or replace; its folder must exist.</param>
    /// <param name="write">Writes the whole content. If it throws, the target is left as it was.</param>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable, or the target is a directory.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UnauthorizedAccessException($"Cannot write '{path}': it is a directory.");
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{path}': its folder '{folder}' does not exist.");
        string name = Path.GetFileName(full);
        RemoveLeftovers(folder, name);
        string temporary = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture,
            $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}-{name}"));
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (AtomicFileGroup.Current is { } group) group.Stage(full, temporary);
            else File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Creates or replaces <paramref name="path"/> with <paramref name="text"/> in UTF-8 (no byte-order mark).</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Starts a group of writes on this thread (and the async flow it starts): until the group is committed, every
    /// <see cref="Write"/> leaves its complete temporary file next to its target; <see cref="AtomicFileGroup.Commit"/>
    /// renames them all at once under a lock on their folders, so two processes writing the same outputs leave one
    /// process's complete set, never a mix; disposing the group uncommitted deletes them and leaves every target as it was.
    /// </summary>
    public static AtomicFileGroup Group() => new();

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Temporary files for the same target left by writers that were killed (their process is gone).
    private static void RemoveLeftovers(string folder, string name)
    {
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(folder, TemporaryPrefix + "*"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string file in candidates)
        {
            string leaf = Path.GetFileName(file);
            // .iinr-tmp-<pid>-<8 hex>-<name>
            int dash = leaf.IndexOf('-', TemporaryPrefix.Length);
            if (dash < 0 || !leaf.AsSpan(dash).EndsWith("-" + name, StringComparison.Ordinal) || leaf.Length != dash + 10 + name.Length) continue;
            if (!int.TryParse(leaf.AsSpan(TemporaryPrefix.Length, dash - TemporaryPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid != Environment.ProcessId && !IsRunning(pid)) TryDelete(file);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
