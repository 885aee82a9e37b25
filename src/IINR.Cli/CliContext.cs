namespace IINR.Cli;

/// <summary>Where a command writes and whether it may draw live progress.</summary>
/// <param name="Out">Standard output: progress, summaries, help.</param>
/// <param name="Error">Standard error: one line per failure.</param>
/// <param name="Interactive">True when <paramref name="Out"/> is a terminal (live progress bars); false for plain lines.</param>
/// <param name="Cancellation">Stops training between iterations (Ctrl+C).</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool Interactive, CancellationToken Cancellation);

/// <summary>A bad combination of arguments that the parser cannot see; exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The exit codes of <c>iinr</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;
    /// <summary>A failure while running: a missing or unreadable file, a training error.</summary>
    public const int Failure = 1;
    /// <summary>A bad argument or option.</summary>
    public const int Usage = 2;
    /// <summary>Cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}

/// <summary>File path helpers.</summary>
internal static class Paths
{
    /// <summary>Throws a <see cref="UsageException"/> unless <paramref name="path"/> ends with <paramref name="extension"/>.</summary>
    public static void RequireExtension(string? path, string extension, string option)
    {
        if (path is null) return;
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{option} must name a {extension} file; got '{path}'.");
    }
}

/// <summary>Turns an exception or a parse error into one clear line.</summary>
internal static class ErrorText
{
    /// <summary>A parser message on one line, naming the option it is about, with the expected kind of value in words
    /// instead of a .NET type name.</summary>
    public static string ParseError(System.CommandLine.Parsing.ParseError error)
    {
        var lines = error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string message = ExpectedType.Replace(string.Join(" ", lines), m => "as " + KindOf(m.Groups[1].Value));
        if (error.SymbolResult is System.CommandLine.Parsing.OptionResult { Option: var option } && !message.Contains(option.Name, StringComparison.Ordinal))
            message = $"{option.Name}: {message}";
        return message;
    }

    // System.CommandLine says "as expected type 'System.Nullable`1[System.Int32]'".
    static readonly System.Text.RegularExpressions.Regex ExpectedType = new(@"as expected type '([^']+)'");

    static string KindOf(string typeName) => typeName.Replace("System.Nullable`1[", "").TrimEnd(']') switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        var other => "a value of the expected kind (" + other[(other.LastIndexOf('.') + 1)..] + ")",
    };

    public static string OneLine(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException a && a.ParamName is { } p)
        {
            // ArgumentException appends " (Parameter 'x')" and ArgumentOutOfRangeException a second line.
            int cut = message.IndexOf($" (Parameter '{p}')", StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }
        int newline = message.IndexOfAny(['\r', '\n']);
        if (newline >= 0) message = message[..newline];
        return message.Trim();
    }
}
