using System.CommandLine;
using IINR.Cli.Output;
using IINR.Cli.Tasks;
using IINR.Signals;
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
    readonly TrainingOptionSet _training = new(Defaults.MainJobIterations, baseline: false);
    readonly OutputOptionSet _common = new();

    MainJobCommand(CliContext ctx) => _ctx = ctx;

    /// <summary>Adds the main job's options and action to the root command.</summary>
    public static void AddTo(RootCommand root, CliContext ctx)
    {
        var c = new MainJobCommand(ctx);
        root.Add(c._outputDir); root.Add(c._size);
        c._training.AddTo(root); c._common.AddTo(root);
        root.SetAction(c.Run);
    }

    int Run(ParseResult r)
    {
        string dir = r.GetValue(_outputDir)!;
        int size = r.GetValue(_size);
        bool quiet = r.GetValue(_common.Quiet);
        var iterative = _training.Build(r);
        var plain = iterative with { Iterative = false };
        string plainName = TrainingOptionSet.DisplayName(plain), iName = TrainingOptionSet.DisplayName(iterative);
        string reportPath = r.GetValue(_common.Report) ?? Path.Combine(dir, "report.json");
        var scene = TestScene.Render(size, size);
        if (!quiet)
            _ctx.Out.WriteLine($"iinr main job: {plainName} vs {iName} on the generated {size}×{size} TestScene, {iterative.Iterations} iterations each " +
                $"({iterative.HiddenLayers}×{iterative.HiddenSize}, seed {iterative.Seed}). Run 'iinr --help' for the commands.");

        Directory.CreateDirectory(dir);
        string Out(string name) => Path.Combine(dir, name);
        string inputPath = Out("testscene.png"), plainPath = Out($"{plainName.ToLowerInvariant()}.png"), iPath = Out($"{iName.ToLowerInvariant()}.png"), curvePath = Out("curve.png");
        ImageFile.SavePng(scene, inputPath);

        var (a, b) = ProgressDisplay.Run(_ctx, quiet, p =>
        {
            var first = FitTask.Run(scene, new FitTaskOptions(plain, plainName), p, _ctx.Cancellation);
            try { return (first, FitTask.Run(scene, new FitTaskOptions(iterative, iName), p, _ctx.Cancellation)); }
            catch { first.Dispose(); throw; }
        });
        using (a)
        using (b)
        {
            ImageFile.SavePng(a.Reconstruction, plainPath);
            ImageFile.SavePng(b.Reconstruction, iPath);
            CurvePlot.Save(curvePath, $"{plainName} vs {iName}, {size}x{size} TestScene", [new CurvePlot.Series(plainName, a.Curve), new CurvePlot.Series(iName, b.Curve)]);
            object Entry(FitResult f) => new
            {
                psnr = Report.ToNode(f.Psnr), ssim = Report.ToNode(f.Ssim), iterations = f.Iterations, parameters = f.Parameters,
                trainSeconds = Report.ToNode(f.TrainSeconds), inferSeconds = Report.ToNode(f.InferSeconds),
                curve = f.Curve.Select(p => new { iteration = p.Iteration, psnr = Math.Round(p.Psnr, 4) }).ToArray(),
            };
            new Report("main").Set("input", $"builtin:testscene:{size}").Set("width", size).Set("height", size)
                .Set("plain", Entry(a)).Set("iterative", Entry(b)).Set("gain", b.Psnr - a.Psnr)
                .Set("outputs", new { input = inputPath, plain = plainPath, iterative = iPath, curve = curvePath, report = reportPath })
                .SetOptions(iterative).Write(reportPath);
            if (!quiet)
            {
                int w = Math.Max(plainName.Length, iName.Length);
                _ctx.Out.WriteLine($"{plainName.PadRight(w)}  PSNR {a.Psnr:0.00} dB  SSIM {a.Ssim:0.0000}  {a.Parameters,9:N0} parameters  train {a.TrainSeconds:0.0} s");
                _ctx.Out.WriteLine($"{iName.PadRight(w)}  PSNR {b.Psnr:0.00} dB  SSIM {b.Ssim:0.0000}  {b.Parameters,9:N0} parameters  train {b.TrainSeconds:0.0} s");
                _ctx.Out.WriteLine($"gain of {iName} over {plainName}: {b.Psnr - a.Psnr:+0.00;-0.00} dB");
                _ctx.Out.WriteLine($"outputs in {Path.GetFullPath(dir)}: {string.Join(", ", new[] { inputPath, plainPath, iPath, curvePath, reportPath }.Select(Path.GetFileName))}");
            }
        }
        return ExitCodes.Success;
    }
}
