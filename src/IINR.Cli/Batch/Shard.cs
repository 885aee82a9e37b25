using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IINR.Cli.Batch;

/// <summary>
/// The share K of N of a folder that one process handles. An image belongs to the shard its file name hashes to,
/// so the split does not depend on the order the file system lists files in, on which other files are present, or
/// on the machine: N processes over one shared folder cover every image exactly once.
/// </summary>
/// <param name="Index">K, from 0.</param>
/// <param name="Count">N, 1 or more.</param>
internal readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole folder.</summary>
    public static readonly Shard All = new(0, 1);

    /// <summary>Kubernetes Indexed Jobs: the pod's completion index (K).</summary>
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>Slurm job arrays: the task's array index, and the array's task count, smallest index and step.</summary>
    public const string SlurmTaskId = "SLURM_ARRAY_TASK_ID", SlurmTaskCount = "SLURM_ARRAY_TASK_COUNT",
        SlurmTaskMin = "SLURM_ARRAY_TASK_MIN", SlurmTaskStep = "SLURM_ARRAY_TASK_STEP";

    /// <summary>Whether the image file <paramref name="fileName"/> (a name, not a path) belongs to this shard.</summary>
    public bool Owns(string fileName) =>
        Count == 1 || BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(fileName))) % (ulong)Count == (ulong)Index;

    /// <summary>"" for the whole folder, "-K-of-N" otherwise (summary file names).</summary>
    public string Suffix => Count == 1 ? "" : $"-{Index}-of-{Count}";

    /// <summary>"K/N".</summary>
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>
    /// The shard of this process: <c>--shard K/N</c>; else <see cref="KubernetesIndex"/> with N from
    /// <c>--shard-count</c>; else a Slurm array task (K = (<see cref="SlurmTaskId"/> − min) / step, N =
    /// <c>--shard-count</c> or <see cref="SlurmTaskCount"/>); else the whole folder.
    /// </summary>
    /// <param name="flag">The value of --shard, if given.</param>
    /// <param name="countFlag">The value of --shard-count, if given.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <exception cref="UsageException">The values are malformed, inconsistent or incomplete.</exception>
    public static Shard Resolve(string? flag, int? countFlag, Func<string, string?> environment)
    {
        if (flag is not null)
        {
            var parts = flag.Split('/');
            if (parts.Length != 2 || !TryParse(parts[0], out int k) || !TryParse(parts[1], out int n) || n < 1 || k >= n)
                throw new UsageException($"--shard must be K/N with 0 ≤ K < N (e.g. 0/4); got '{flag}'.");
            if (countFlag is int c && c != n)
                throw new UsageException($"--shard {flag} and --shard-count {c} disagree on the number of shards.");
            return new Shard(k, n);
        }
        if (environment(KubernetesIndex) is { } index)
        {
            if (!TryParse(index, out int k))
                throw new UsageException($"{KubernetesIndex} must be a whole number ≥ 0; got '{index}'.");
            int n = countFlag ?? throw new UsageException(
                $"{KubernetesIndex} is set ({index}: a Kubernetes Indexed Job), but the number of shards is unknown: pass --shard-count N (the Job's completions).");
            return Checked(k, n, $"{KubernetesIndex} = {index}");
        }
        if (environment(SlurmTaskId) is { } id)
        {
            string? countText = environment(SlurmTaskCount);
            if (!TryParse(id, out int task))
                throw new UsageException($"{SlurmTaskId} must be a whole number ≥ 0; got '{id}'.");
            int min = 0, step = 1, count = 0;
            if (environment(SlurmTaskMin) is { } minText && !TryParse(minText, out min))
                throw new UsageException($"{SlurmTaskMin} must be a whole number ≥ 0; got '{minText}'.");
            if (environment(SlurmTaskStep) is { } stepText && (!TryParse(stepText, out step) || step < 1))
                throw new UsageException($"{SlurmTaskStep} must be a whole number ≥ 1; got '{stepText}'.");
            if (countFlag is null && (countText is null || !TryParse(countText, out count)))
                throw new UsageException($"{SlurmTaskId} is set ({id}: a Slurm job array), but {SlurmTaskCount} is {(countText is null ? "not set" : $"'{countText}'")}: pass --shard-count N.");
            if ((task - min) % step != 0)
                throw new UsageException($"{SlurmTaskId} = {task} is not on the array's grid (min {min}, step {step}).");
            return Checked((task - min) / step, countFlag ?? count, $"{SlurmTaskId} = {task} (min {min}, step {step})");
        }
        if (countFlag is int only)
            throw new UsageException($"--shard-count {only} needs this process's index: --shard K/N, or {KubernetesIndex} (Kubernetes) or {SlurmTaskId} (Slurm) in the environment.");
        return All;
    }

    private static Shard Checked(int k, int n, string source)
    {
        if (n < 1 || k < 0 || k >= n)
            throw new UsageException($"{source} gives shard {k} of {n}; expected 0 ≤ K < N.");
        return new Shard(k, n);
    }

    private static bool TryParse(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
