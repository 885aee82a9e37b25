using System.CommandLine;
using System.Diagnostics;
using IINR.Cli.Output;
using IINR.Signals;
using IINR.Trainers;

namespace IINR.Cli.Commands;

/// <summary><c>iinr render</c>: query a saved model at any resolution.</summary>
internal sealed class RenderCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _model = new("--model", "-m") { Description = "Model file written by fit, superres or denoise --model.", Required = true };
    /// <summary>The largest side rendered (the image is written band by band, so memory does not grow with it).</summary>
    const int MaxSide = 16384;

    readonly Option<int?> _width = new Option<int?>("--width", "-W") { Description = "Output width in pixels (default: the fitted width, or kept in proportion to --height)." }.InRange(1, MaxSide);
    readonly Option<int?> _height = new Option<int?>("--height", "-H") { Description = "Output height in pixels (default: the fitted height, or kept in proportion to --width)." }.InRange(1, MaxSide);
    readonly Option<string> _output = new("--output", "-o") { Description = "PNG to write (clipped to [0, 1], 8 bits).", Required = true };
    readonly Option<int?> _steps = new("--steps") { Description = "Inference steps (default: the model's own setting)." };
    readonly Option<int?> _threads = new Option<int?>("--threads") { Description = "libtorch CPU threads." }.InRange(1, 1024);
    readonly OutputOptionSet _common = new();

    RenderCommand(CliContext ctx) => _ctx = ctx;

    public static Command Create(CliContext ctx)
    {
        var c = new RenderCommand(ctx);
        return CommandBuilder.Build("render", "Render a saved model at any resolution (the same frame on a finer or coarser pixel grid).", c.Run,
            [c._model, c._width, c._height, c._output, c._steps, c._threads, .. c._common.All]);
    }

    int Run(ParseResult r)
    {
        string path = r.GetValue(_model)!, output = r.GetValue(_output)!;
        string? reportPath = r.GetValue(_common.Report);
        Paths.RequireExtension(output, ".png", "--output");
        if (r.GetValue(_threads) is int threads) TorchRuntime.Threads = threads;
        using var outputs = OutputFiles.Prepare([("--model", path)], ("--output", output), ("--report", reportPath));
        using var loaded = ModelFile.Load(path);
        var f = loaded.Image!;
        int? w = r.GetValue(_width), h = r.GetValue(_height);
        long wide = w ?? (h is int hh ? Math.Max(1, (long)Math.Round((double)hh * f.Width / f.Height)) : f.Width);
        long high = h ?? (w is int ww ? Math.Max(1, (long)Math.Round((double)ww * f.Height / f.Width)) : f.Height);
        if (wide > MaxSide || high > MaxSide)
            throw new UsageException($"the output would be {wide}×{high} pixels (the model's {f.Width}×{f.Height} frame kept in proportion); " +
                $"each side may be at most {MaxSide}: give both --width and --height, or smaller ones.");
        int width = (int)wide, height = (int)high;
        int steps = r.GetValue(_steps) ?? loaded.Steps;
        using var model = loaded.WithSteps(steps);
        // Rendered and written band by band, so memory stays small at any size; the time is the rendering's alone.
        var clock = new Stopwatch();
        long outOfRange = 0;
        ImageFile.SavePng(output, width, height, model.Channels, (firstRow, rows, values) =>
        {
            clock.Start();
            model.RenderRows(width, height, firstRow, rows, values);
            clock.Stop();
            foreach (float v in values) if (!(v >= 0f && v <= 1f)) outOfRange++;
        });
        double seconds = clock.Elapsed.TotalSeconds;
        if (reportPath is not null)
            new Report("render").Set("model", path).Set("width", width).Set("height", height).Set("channels", model.Channels)
                .Set("fittedWidth", f.Width).Set("fittedHeight", f.Height).Set("steps", steps).Set("inferSeconds", seconds)
                .Set("outOfRangeFraction", (double)outOfRange / ((long)width * height * model.Channels)).Set("outputs", new { image = output }).Write(reportPath);
        outputs.Commit();
        if (!r.GetValue(_common.Quiet))
        {
            _ctx.Out.WriteLine($"rendered {width}×{height} (fitted at {f.Width}×{f.Height}) with {steps} step{(steps == 1 ? "" : "s")} in {seconds:0.000} s");
            Summary.Wrote(_ctx, ("image", output), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
