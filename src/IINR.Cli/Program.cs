namespace IINR.Cli;

/// <summary>Entry point of the <c>iinr</c> tool.</summary>
public static class Program
{
    /// <summary>The environment variable that sets the largest image read, in pixels (ImageFile.MaxPixels).</summary>
    public const string MaxPixelsVariable = "IINR_MAX_PIXELS";

    /// <summary>Runs the tool on the console; returns the process exit code. Ctrl+C stops training between iterations.</summary>
    public static int Main(string[] args)
    {
        if (Environment.GetEnvironmentVariable(MaxPixelsVariable) is { Length: > 0 } limit)
        {
            if (!long.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long pixels)
                || pixels < 1 || pixels > IINR.Signals.ImageFile.LargestMaxPixels)
            {
                Console.Error.WriteLine($"iinr: error: {MaxPixelsVariable} must be a whole number of pixels from 1 to {IINR.Signals.ImageFile.LargestMaxPixels}; got '{limit}'.");
                return ExitCodes.Usage;
            }
            IINR.Signals.ImageFile.MaxPixels = pixels;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancel.IsCancellationRequested) return; // a second Ctrl+C ends the process
            e.Cancel = true;
            cancel.Cancel();
        };
        return CliApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, cancel.Token);
    }
}
