using System.Security.Cryptography;
using System.Text;

namespace IINR.Signals;

/// <summary>
/// A set of <see cref="AtomicFile"/> writes replaced together: made by <see cref="AtomicFile.Group"/>, committed by
/// <see cref="Commit"/>, abandoned (every target left as it was) by disposing it uncommitted.
/// </summary>
/// <remarks>Commit renames the staged files while holding a lock per target folder (a file in the temporary folder,
/// locked exclusively), so concurrent groups writing the same targets replace them one whole set after the other.
/// A rename that fails half-way through (a disk error) can still leave part of a set; the checks before writing
/// (folder exists and is writable) make that rare.</remarks>
public sealed class AtomicFileGroup : IDisposable
{
    private static readonly AsyncLocal<AtomicFileGroup?> s_current = new();

    // How long a commit waits for another process's commit on the same folders (renames take milliseconds).
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    private readonly AtomicFileGroup? _outer;
    private readonly List<(string Target, string Temporary)> _staged = [];
    private bool _ended;

    internal AtomicFileGroup()
    {
        _outer = s_current.Value;
        s_current.Value = this;
    }

    /// <summary>The innermost open group of this flow, or null.</summary>
    internal static AtomicFileGroup? Current => s_current.Value;

    internal void Stage(string target, string temporary)
    {
        int previous = _staged.FindIndex(s => s.Target == target);
        if (previous >= 0)
        {
            AtomicFile.TryDelete(_staged[previous].Temporary);
            _staged.RemoveAt(previous);
        }
        _staged.Add((target, temporary));
    }

    /// <summary>Renames every staged file over its target, under a lock on their folders, and ends the group.</summary>
    /// <exception cref="IOException">Another process held a lock on one of the folders for more than a minute, or a rename failed.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        var locks = new List<FileStream?>();
        try
        {
            foreach (string folder in _staged.Select(s => Path.GetDirectoryName(s.Target)!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                locks.Add(Lock(folder));
            foreach (var (target, temporary) in _staged) File.Move(temporary, target, overwrite: true);
            _staged.Clear();
        }
        finally
        {
            foreach (var l in locks) l?.Dispose();
            End();
        }
    }

    /// <summary>Deletes the staged files that were not committed (their targets stay as they were) and ends the group.</summary>
    public void Dispose()
    {
        foreach (var (_, temporary) in _staged) AtomicFile.TryDelete(temporary);
        _staged.Clear();
        End();
    }

    private void End()
    {
        if (_ended) return;
        _ended = true;
        if (s_current.Value == this) s_current.Value = _outer;
    }

    // An exclusive lock (FileShare.None: flock on Unix) on a file named after the folder, in the user's temporary folder
    // so the output folder gets no lock file. Null (no lock) when that folder cannot be used.
    private static FileStream? Lock(string folder)
    {
        string directory = Path.Combine(Path.GetTempPath(), "iinr-locks-" + Environment.UserName);
        string name = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..24] + ".lock";
        string path = Path.Combine(directory, name);
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException) when (clock.Elapsed < LockTimeout)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new IOException($"Cannot replace the outputs in '{folder}': another process has held its output lock ({path}) for more than {LockTimeout.TotalSeconds:0} s.", e);
            }
        }
    }
}
