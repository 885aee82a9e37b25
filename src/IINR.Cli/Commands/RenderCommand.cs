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
    readonly Option<int?> _width = new Option<int?>("--width", "-W") { Description = "Output width in pixels (default: the fitted width, or kept in proportion to --height)." }.InRange(1, 16384);
    readonly Option<int?> _height = new Option<int?>("--height", "-H") { Description = "Output height in pixels (default: the fitted height, or kept in proportion to --width)." }.InRange(1, 16384);
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
        using var loaded = ModelFile.Load(path);
        var f = loaded.Image!;
        int? w = r.GetValue(_width), h = r.GetValue(_height);
        int width = w ?? (h is int hh ? Math.Max(1, (int)Math.Round((double)hh * f.Width / f.Height)) : f.Width);
        int height = h ?? (w is int ww ? Math.Max(1, (int)Math.Round((double)ww * f.Height / f.Width)) : f.Height);
        int steps = r.GetValue(_steps) ?? loaded.Steps;
        using var model = loaded.WithSteps(steps);
        var clock = Stopwatch.StartNew();
        var image = model.RenderSignalImage(width, height);
        double seconds = clock.Elapsed.TotalSeconds;
        Paths.EnsureDirectory(output);
        ImageFile.SavePng(image, output);
        if (reportPath is not null)
            new Report("render").Set("model", path).Set("width", width).Set("height", height).Set("channels", image.Channels)
                .Set("fittedWidth", f.Width).Set("fittedHeight", f.Height).Set("steps", steps).Set("inferSeconds", seconds)
                .Set("outOfRangeFraction", image.OutOfRangeFraction()).Set("outputs", new { image = output }).Write(reportPath);
        if (!r.GetValue(_common.Quiet))
        {
            _ctx.Out.WriteLine($"rendered {width}×{height} (fitted at {f.Width}×{f.Height}) with {steps} step{(steps == 1 ? "" : "s")} in {seconds:0.000} s");
            Summary.Wrote(_ctx, ("image", output), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
