using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using IINR.Cli.Commands;

namespace IINR.Cli;

/// <summary>
/// The <c>iinr</c> command line, callable in-process: parses the arguments, runs the command, writes to the given
/// writers and returns the exit code. Every failure is one line on the error writer: a bad argument exits with
/// <see cref="ExitCodes.Usage"/>, a missing or unreadable file (or any other failure) with <see cref="ExitCodes.Failure"/>.
/// </summary>
public static class CliApp
{
    /// <summary>Runs <c>iinr</c> with <paramref name="args"/>.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="output">Standard output: progress, summaries, help.</param>
    /// <param name="error">Standard error: one line per failure.</param>
    /// <param name="interactive">True when <paramref name="output"/> is a terminal: draw live progress bars instead of plain lines.</param>
    /// <param name="cancellationToken">Stops a training run between iterations.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var context = new CliContext(output, error, interactive, cancellationToken);
        string where = "iinr";
        Command? command = null;
        try
        {
            var root = BuildRoot(context);
            // No response files: a path starting with '@' is a path.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            command = parse.CommandResult.Command;
            if (command != root) where = $"iinr {command.Name}";
            if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
            {
                error.WriteLine($"{where}: error: {ErrorText.ParseError(parse.Errors[0])} (see '{where} --help')");
                return ExitCodes.Usage;
            }
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            error.WriteLine($"{where}: error: {e.Message} (see '{where} --help')");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine($"{where}: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException
            or IINR.Trainers.TrainingDivergedException)
        {
            error.WriteLine($"{where}: error: {ErrorText.OneLine(e)}");
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            // The library validates the options; a rejected one is reported with its flag.
            if (command is not null && OptionFlags.Describe(e, command) is { } flagged)
            {
                error.WriteLine($"{where}: error: {flagged} (see '{where} --help')");
                return ExitCodes.Usage;
            }
            error.WriteLine($"{where}: error: {ErrorText.OneLine(e)}");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            error.WriteLine($"{where}: error: {ErrorText.OneLine(e)} ({e.GetType().Name})");
            return ExitCodes.Failure;
        }
        finally
        {
            output.Flush();
            error.Flush();
            CultureInfo.CurrentCulture = culture;
        }
    }

    static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "iinr: iterative implicit neural representations (I-INR, AAAI 2026) on TorchSharp.\n" +
            "Without a command, runs the main job: plain SIREN vs I-SIREN on the generated TestScene, outputs in ./iinr-output.");
        root.Add(FitCommand.Create(context));
        root.Add(RenderCommand.Create(context));
        root.Add(SuperResCommand.Create(context));
        root.Add(DenoiseCommand.Create(context));
        root.Add(DegradeCommand.Create(context));
        root.Add(OccupancyCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        MainJobCommand.AddTo(root, context);
        return root;
    }
}
