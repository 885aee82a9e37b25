using System.CommandLine;
using System.Globalization;
using IINR.Cli.Batch;
using IINR.Cli.Output;
using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr denoise</c>: fit a noisy image; choose the inference steps without the clean image.</summary>
internal sealed class DenoiseCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i") { Description = "Noisy image (PNG, JPEG, BMP); or a folder of them (folder mode: --jobs, --shard, --summary).", Required = true };
    readonly Option<string> _output = new("--output", "-o") { Description = "PNG to write (clipped to [0, 1], 8 bits); in folder mode a folder (a.jpg → a.png).", Required = true };
    readonly Option<string?> _reference = new("--reference", "-r") { Description = "The clean image: report PSNR/SSIM of the output and of the noisy input. In folder mode a folder of them, matched by file name." };
    readonly Option<string> _steps = new("--steps")
    {
        Description = "Inference steps: a number (trains all --iterations), or auto = hold out a few percent of the pixels from training and keep the stopping iteration and the steps (1..8) that predict them best (with --baseline: the stopping iteration).",
        DefaultValueFactory = _ => "auto",
    };
    readonly Option<double> _holdOut = new("--hold-out") { Description = "Fraction of the pixels held out to choose the stopping iteration and the steps (auto).", DefaultValueFactory = _ => TaskPresets.DenoisingHoldOutFraction };
    readonly Option<bool> _refit = new("--refit") { Description = "After choosing, train again on all pixels for the chosen iterations (up to twice the time; see docs/CLI.md for why it is off by default)." };
    readonly Option<string?> _model = new("--model", "-m") { Description = "Save the model with the chosen steps as an ML.NET model zip (for 'iinr render' or mlContext.Model.Load)." };
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR (against the noisy pixels) against iteration as a PNG." };
    readonly TrainingOptionSet _training = new(b => IINROptions.ForDenoising(b), steps: false);
    readonly OutputOptionSet _common = new();
    readonly BatchOptionSet _batch = new();

    DenoiseCommand(CliContext ctx)
    {
        _ctx = ctx;
        _training.Omega0.Description = $"Frequency ω0 of SIREN, FINER and WIRE (default here: {TaskPresets.Denoising(BackboneKind.Siren).Omega0} for SIREN/FINER, " +
            $"{TaskPresets.Denoising(BackboneKind.Wire).Omega0} for WIRE: lower than for fitting, so the fit does not reproduce the noise).";
        _training.Scale.Description = $"WIRE's envelope scale s0 / Gauss's scale s (default here {TaskPresets.Denoising(BackboneKind.Wire).Scale}).";
        _steps.Validators.Add(res =>
        {
            string v = res.GetValueOrDefault<string>() ?? "";
            // The library checks the number's range.
            if (!v.Equals("auto", StringComparison.OrdinalIgnoreCase) && !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                res.AddError($"--steps must be auto or a whole number; got '{v}'.");
        });
    }

    public static Command Create(CliContext ctx)
    {
        var c = new DenoiseCommand(ctx);
        return CommandBuilder.Build("denoise", "Denoise an image by fitting it; the inference steps are chosen by hold-out validation unless given.", c.Run,
            [c._input, c._output, c._reference, c._steps, c._holdOut, c._refit, c._model, c._curve, .. c._training.All, .. c._common.All, .. c._batch.All]);
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!, output = r.GetValue(_output)!;
        string? referencePath = r.GetValue(_reference), modelPath = r.GetValue(_model), curvePath = r.GetValue(_curve), reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        var options = _training.Build(r, _ctx.Cancellation);
        string stepsText = r.GetValue(_steps)!;
        bool automatic = stepsText.Equals("auto", StringComparison.OrdinalIgnoreCase);
        if (!automatic)
        {
            options.Model = options.Model with { Steps = int.Parse(stepsText, CultureInfo.InvariantCulture) };
            options.Validate();
        }
        double holdOut = r.GetValue(_holdOut);
        bool refit = r.GetValue(_refit);
        if (BatchOptionSet.IsFolder(input))
            return _batch.Run(_ctx, r, "denoise", input, output, referencePath, quiet,
                [("--model", modelPath is not null), ("--curve", curvePath is not null), ("--report", reportPath is not null)],
                (ml, execution) => ml.Transforms.IINR.DenoiseImages(FolderBatch.OutputColumn, FolderBatch.InputColumn, options, automatic, holdOut, refit: refit, execution: execution));
        Paths.RequireExtension(output, ".png", "--output");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        using var outputs = OutputFiles.Prepare([("--input", input), ("--reference", referencePath)],
            ("--output", output), ("--model", modelPath), ("--curve", curvePath), ("--report", reportPath));
        var noisy = Inputs.LoadImage(input);
        var clean = referencePath is null ? null : Inputs.LoadImage(referencePath, "--reference");
        if (clean is not null && (clean.Width != noisy.Width || clean.Height != noisy.Height || clean.Channels != noisy.Channels))
            throw new UsageException($"--reference is {clean.Shape} but the input is {noisy.Shape}: they must match.");
        string name = TrainingOptionSet.DisplayName(options.Model);
        string[] phases = automatic ? ["denoise (hold-out)", "denoise (refit)"] : ["denoise"];

        var ml = new MLContext();
        var (result, curve) = ProgressDisplay.Train(_ctx, quiet, options,
            o => ml.Transforms.IINR.Denoise(noisy, o, automatic, holdOut, refit: refit), phases);
        using var _ = result;
        var selection = result.StepSelection;
        int steps = result.Model.Steps;
        IINRMetrics? ours = null, noisyMetrics = null;
        if (clean is not null)
        {
            ours = IINRMetrics.FromImages(clean, result.Image.Clamp01());
            noisyMetrics = IINRMetrics.FromImages(clean, noisy.Clamp01());
        }
        ImageFile.SavePng(result.Image, output);
        if (modelPath is not null) ModelFile.Save(result.Model, modelPath);
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} denoise", [new CurvePlot.Series(name, curve)]);

        var report = new Report("denoise")
            .Set("input", input).Set("width", noisy.Width).Set("height", noisy.Height).Set("channels", noisy.Channels)
            .Set("model", name).Set("reference", referencePath)
            .Set("steps", options.Model.Iterative ? steps : null).Set("stepsMode", !options.Model.Iterative ? "none (plain backbone)" : selection is not null ? "auto" : "fixed")
            .Set("stepScores", (selection?.Scores ?? []).Select(s => new { steps = s.Steps, heldOutMse = s.HeldOutMse }).ToArray())
            .Set("heldOutPixels", selection?.HeldOutPixels ?? 0).Set("stoppedAt", selection?.Iteration).Set("refitted", selection?.Refitted ?? false)
            .Set("psnr", ours?.Psnr).Set("ssim", ours?.Ssim).Set("noisyPsnr", noisyMetrics?.Psnr).Set("noisySsim", noisyMetrics?.Ssim)
            .Set("gainOverNoisy", ours?.Psnr - noisyMetrics?.Psnr)
            .Set("iterations", options.Model.Iterations).Set("parameters", result.Model.BackboneParameterCount + result.Model.HeadParameterCount)
            .Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.RenderSeconds)
            .Set("outputs", new { image = output, model = modelPath, curve = curvePath })
            .SetOptions(options.Model);
        if (reportPath is not null) report.Write(reportPath);
        outputs.Commit();

        if (!quiet)
        {
            string stop = selection is null ? "" : $"stopped at iteration {selection.Iteration} of {options.Model.Iterations} (held out {selection.HeldOutPixels} pixels){(selection.Refitted ? ", refitted on all pixels" : "")}, ";
            string how = !options.Model.Iterative ? "plain backbone (no steps)" : selection is not null
                ? $"steps {steps} (auto: held-out MSE {string.Join(" ", selection.Scores.Select(s => $"{s.Steps}:{s.HeldOutMse:0.00000}"))})"
                : $"steps {steps}";
            how = stop + how;
            _ctx.Out.WriteLine($"{name} on {noisy.Width}×{noisy.Height}×{noisy.Channels}: {how}, train {result.TrainSeconds:0.0} s, infer {result.RenderSeconds:0.000} s");
            if (ours is not null && noisyMetrics is not null)
                _ctx.Out.WriteLine($"vs reference: PSNR {ours.Psnr:0.00} dB, SSIM {Summary.Number(ours.Ssim, "0.0000")}; noisy input PSNR {noisyMetrics.Psnr:0.00} dB, SSIM {Summary.Number(noisyMetrics.Ssim, "0.0000")} ({ours.Psnr - noisyMetrics.Psnr:+0.00;-0.00} dB)");
            Summary.Wrote(_ctx, ("image", output), ("model", modelPath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
