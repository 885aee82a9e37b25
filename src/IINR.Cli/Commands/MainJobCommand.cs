using System.CommandLine;
using IINR.Cli.Output;
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary>
/// <c>iinr</c> with no command: the main job. Fits the plain backbone and its iterative version with the same
/// settings to the generated TestScene and writes the input, both reconstructions, the PSNR curves and a report.
/// </summary>
internal sealed class MainJobCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _outputDir = new("--output-dir", "-o") { Description = "Folder for the outputs.", DefaultValueFactory = _ => Defaults.MainJobOutput };
    readonly Option<int> _size = new Option<int>("--size") { Description = "Width and height of the TestScene.", DefaultValueFactory = _ => Defaults.MainJobSize }.InRange(11, 2048);
    readonly TrainingOptionSet _training = new(b => IINROptions.ForFitting(b), Defaults.MainJobIterations, baseline: false);
    readonly OutputOptionSet _common = new();

    MainJobCommand(CliContext ctx) => _ctx = ctx;

    /// <summary>Adds the main job's options and action to the root command.</summary>
    public static void AddTo(RootCommand root, CliContext ctx)
    {
        var c = new MainJobCommand(ctx);
        foreach (var option in new Option[] { c._outputDir, c._size }.Concat(c._training.All).Concat(c._common.All))
            root.Add(option);
        root.SetAction(c.Run);
    }

    int Run(ParseResult r)
    {
        string dir = r.GetValue(_outputDir)!;
        int size = r.GetValue(_size);
        bool quiet = r.GetValue(_common.Quiet);
        var options = _training.Build(r, _ctx.Cancellation);
        var iterative = options.Model;
        var plain = iterative with { Iterative = false };
        string plainName = TrainingOptionSet.DisplayName(plain), iName = TrainingOptionSet.DisplayName(iterative);
        string reportPath = r.GetValue(_common.Report) ?? Path.Combine(dir, "report.json");
        var scene = TestScene.Render(size, size);
        if (!quiet)
            _ctx.Out.WriteLine($"iinr main job: {plainName} vs {iName} on the generated {size}×{size} TestScene, {iterative.Iterations} iterations each " +
                $"({iterative.HiddenLayers}×{iterative.HiddenSize}, seed {iterative.Seed}). Run 'iinr --help' for the commands.");

        string Out(string name) => Path.Combine(dir, name);
        string inputPath = Out("testscene.png"), plainPath = Out($"{plainName.ToLowerInvariant()}.png"), iPath = Out($"{iName.ToLowerInvariant()}.png"), curvePath = Out("curve.png");
        using var outputs = OutputFiles.Prepare([], ("--output-dir", inputPath), ("--output-dir", plainPath), ("--output-dir", iPath), ("--output-dir", curvePath), ("--report", reportPath));
        ImageFile.SavePng(scene, inputPath);

        var ml = new MLContext();
        var (a, b) = ProgressDisplay.Run(_ctx, quiet, display => (Fit(ml, scene, options, plain, plainName, display), Fit(ml, scene, options, iterative, iName, display)));
        ImageFile.SavePng(a.Reconstruction, plainPath);
        ImageFile.SavePng(b.Reconstruction, iPath);
        CurvePlot.Save(curvePath, $"{plainName} vs {iName}, {size}x{size} TestScene", [new CurvePlot.Series(plainName, a.Curve), new CurvePlot.Series(iName, b.Curve)]);
        object Entry(Fitted f) => new
        {
            psnr = Report.ToNode(f.Metrics.Psnr), ssim = Report.ToNode(f.Metrics.Ssim), iterations = iterative.Iterations, parameters = f.Parameters,
            trainSeconds = Report.ToNode(f.TrainSeconds), inferSeconds = Report.ToNode(f.InferSeconds),
            curve = f.Curve.Select(p => new { iteration = p.Iteration, psnr = Math.Round(p.Psnr, 4) }).ToArray(),
        };
        new Report("main").Set("input", $"builtin:testscene:{size}").Set("width", size).Set("height", size)
            .Set("plain", Entry(a)).Set("iterative", Entry(b)).Set("gain", b.Metrics.Psnr - a.Metrics.Psnr)
            .Set("outputs", new { input = inputPath, plain = plainPath, iterative = iPath, curve = curvePath, report = reportPath })
            .SetOptions(iterative).Write(reportPath);
        outputs.Commit();
        if (!quiet)
        {
            int w = Math.Max(plainName.Length, iName.Length);
            _ctx.Out.WriteLine($"{plainName.PadRight(w)}  PSNR {a.Metrics.Psnr:0.00} dB  SSIM {Summary.Number(a.Metrics.Ssim, "0.0000")}  {a.Parameters,9:N0} parameters  train {a.TrainSeconds:0.0} s");
            _ctx.Out.WriteLine($"{iName.PadRight(w)}  PSNR {b.Metrics.Psnr:0.00} dB  SSIM {Summary.Number(b.Metrics.Ssim, "0.0000")}  {b.Parameters,9:N0} parameters  train {b.TrainSeconds:0.0} s");
            _ctx.Out.WriteLine($"gain of {iName} over {plainName}: {b.Metrics.Psnr - a.Metrics.Psnr:+0.00;-0.00} dB");
            _ctx.Out.WriteLine($"outputs in {Path.GetFullPath(dir)}: {string.Join(", ", new[] { inputPath, plainPath, iPath, curvePath, reportPath }.Select(Path.GetFileName))}");
        }
        return ExitCodes.Success;
    }

    /// <summary>What the main job keeps of one fit (the model is freed at once).</summary>
    sealed record Fitted(SignalImage Reconstruction, IINRMetrics Metrics, long Parameters, double TrainSeconds, double InferSeconds, IReadOnlyList<CurvePoint> Curve);

    static Fitted Fit(MLContext ml, SignalImage scene, IINROptions options, IINR.Trainers.InrOptions model, string name, ITaskProgress? display)
    {
        var progress = new TrainingProgress(display, name);
        var o = new IINROptions { Model = model, Progress = progress, CancellationToken = options.CancellationToken };
        try
        {
            using var result = ml.Transforms.IINR.FitImage(scene, o);
            return new Fitted(result.Image, IINRMetrics.FromImages(scene, result.Image.Clamp01()),
                result.Model.BackboneParameterCount + result.Model.HeadParameterCount, result.TrainSeconds, result.RenderSeconds, progress.Curve);
        }
        finally
        {
            progress.Complete();
        }
    }
}
