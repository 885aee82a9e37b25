namespace IINR.Cli;

/// <summary>Entry point of the <c>iinr</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        Console.WriteLine("iinr: work in progress");
        return 0;
    }
}
