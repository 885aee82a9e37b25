using System.CommandLine;
using IINR.Cli.Commands;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Batch;

/// <summary>
/// The folder-mode options of <c>superres</c> and <c>denoise</c> (used when <c>--input</c> is a folder), and the switch
/// between the single-image and folder modes.
/// </summary>
internal sealed class BatchOptionSet
{
    public Option<int> Jobs { get; } = new Option<int>("--jobs", "-j")
    {
        Description = "Folder mode: images fitted at the same time, each on its own thread with --threads libtorch threads (default 1 per image); outputs do not depend on it.",
        DefaultValueFactory = _ => 1,
    }.InRange(1, 256);

    public Option<string?> Shard { get; } = new("--shard")
    {
        Description = $"Folder mode: process shard K of N (K/N, K from 0), a split by file name that any number of processes can share. " +
            $"Default: {Batch.Shard.KubernetesIndex} with --shard-count (Kubernetes Indexed Jobs), else {Batch.Shard.SlurmTaskId} and {Batch.Shard.SlurmTaskCount} (Slurm job arrays), else the whole folder.",
    };

    public Option<int?> ShardCount { get; } = new Option<int?>("--shard-count")
    {
        Description = $"Folder mode: N, the number of shards, when K comes from {Batch.Shard.KubernetesIndex} (the Indexed Job's completions).",
    }.InRange(1, 1_000_000);

    public Option<string?> Summary { get; } = new("--summary")
    {
        Description = "Folder mode: write the summary to PREFIX.csv and PREFIX.json. Default: OUTPUT/iinr-summary (OUTPUT/iinr-summary-K-of-N for a shard).",
    };

    public IEnumerable<Option> All => [Jobs, Shard, ShardCount, Summary];

    /// <summary>Whether <paramref name="input"/> selects folder mode.</summary>
    public static bool IsFolder(string input) => Directory.Exists(input);

    /// <summary>
    /// Runs folder mode for <paramref name="command"/>; returns the exit code: <see cref="ExitCodes.Failure"/> (with one
    /// line on the error writer) when an image failed. <paramref name="singleImageOnly"/> are the options that apply to
    /// one image only; setting one is a usage error here.
    /// </summary>
    public int Run(CliContext context, ParseResult r, string command, string input, string output, string? reference, bool quiet,
        IEnumerable<(string Flag, bool Given)> singleImageOnly, Func<MLContext, IINRImageExecution, IINRImageEstimator> createStep)
    {
        foreach (var (flag, given) in singleImageOnly)
            if (given) throw new UsageException($"{flag} applies to one image; with a folder as --input, use --summary for the results.");
        var shard = Batch.Shard.Resolve(r.GetValue(Shard), r.GetValue(ShardCount), Environment.GetEnvironmentVariable);
        var settings = new FolderBatch.Settings(command, input, output, reference, r.GetValue(Jobs), shard, r.GetValue(Summary), quiet);
        var summary = FolderBatch.Run(context, settings, createStep);
        int failed = summary.Count(BatchRow.Failed);
        if (failed == 0) return ExitCodes.Success;
        var first = summary.Rows.First(row => row.Status == BatchRow.Failed);
        context.Error.WriteLine($"iinr {command}: error: {failed} of {summary.Rows.Count} images failed (first: {first.Name}: {first.Note}); see {summary.CsvPath}");
        return ExitCodes.Failure;
    }
}
