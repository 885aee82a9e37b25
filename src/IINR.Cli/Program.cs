namespace IINR.Cli;

/// <summary>Entry point of the <c>iinr</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool on the console; returns the process exit code. Ctrl+C stops training between iterations.</summary>
    public static int Main(string[] args)
    {
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
