using System.CommandLine;
using System.Globalization;
using IINR.Cli.Output;
using IINR.Cli.Tasks;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr denoise</c>: fit a noisy image; choose the inference steps without the clean image.</summary>
internal sealed class DenoiseCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i") { Description = "Noisy image (PNG, JPEG, BMP).", Required = true };
    readonly Option<string> _output = new("--output", "-o") { Description = "PNG to write (clipped to [0, 1], 8 bits).", Required = true };
    readonly Option<string?> _reference = new("--reference", "-r") { Description = "The clean image: report PSNR/SSIM of the output and of the noisy input." };
    readonly Option<string> _steps = new("--steps")
    {
        Description = "Inference steps: a number, or auto = hold out a few percent of the pixels from training and pick the steps (1..8) that predict them best.",
        DefaultValueFactory = _ => "auto",
    };
    readonly Option<double> _holdOut = new Option<double>("--hold-out") { Description = "Fraction of the pixels held out to choose the steps (auto).", DefaultValueFactory = _ => DenoiseOptions.DefaultHoldOutFraction }.Positive(0.49);
    readonly Option<bool> _refit = new("--refit") { Description = "After choosing the steps, train again on all pixels (twice the time; see docs/CLI.md for why it is off by default)." };
    readonly Option<string?> _model = new("--model", "-m") { Description = "Save the model with the chosen steps as an ML.NET model zip (for 'iinr render' or mlContext.Model.Load)." };
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR (against the noisy pixels) against iteration as a PNG." };
    readonly TrainingOptionSet _training = new(Defaults.DenoiseIterations, steps: false);
    readonly OutputOptionSet _common = new();

    DenoiseCommand(CliContext ctx)
    {
        _ctx = ctx;
        _training.Omega0.Description = $"Frequency ω0 of SIREN, FINER and WIRE (default here: {DenoiseOptions.DefaultOmega0} for SIREN/FINER, {DenoiseOptions.DefaultWireOmega0} for WIRE: lower than for fitting, so the fit does not reproduce the noise).";
        _training.Scale.Description = $"WIRE's envelope scale s0 / Gauss's scale s (default here {DenoiseOptions.DefaultScale}).";
        _steps.Validators.Add(res =>
        {
            string v = res.GetValueOrDefault<string>() ?? "";
            if (!v.Equals("auto", StringComparison.OrdinalIgnoreCase) && !(int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k is >= 1 and <= 1000))
                res.AddError($"--steps must be auto or a whole number from 1 to 1000; got '{v}'.");
        });
    }

    public static Command Create(CliContext ctx)
    {
        var c = new DenoiseCommand(ctx);
        var cmd = new Command("denoise", "Denoise an image by fitting it; the inference steps are chosen by hold-out validation unless given.");
        cmd.Add(c._input); cmd.Add(c._output); cmd.Add(c._reference); cmd.Add(c._steps); cmd.Add(c._holdOut); cmd.Add(c._refit); cmd.Add(c._model); cmd.Add(c._curve);
        c._training.AddTo(cmd); c._common.AddTo(cmd);
        cmd.SetAction(c.Run);
        return cmd;
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!, output = r.GetValue(_output)!;
        string? referencePath = r.GetValue(_reference), modelPath = r.GetValue(_model), curvePath = r.GetValue(_curve), reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        Paths.RequireExtension(output, ".png", "--output");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        var options = DenoiseOptions.WithTaskDefaults(_training.Build(r));
        string stepsText = r.GetValue(_steps)!;
        int? steps = stepsText.Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : int.Parse(stepsText, CultureInfo.InvariantCulture);
        var noisy = Inputs.LoadImage(input);
        var clean = referencePath is null ? null : Inputs.LoadImage(referencePath, "--reference");
        if (clean is not null && (clean.Width != noisy.Width || clean.Height != noisy.Height || clean.Channels != noisy.Channels))
            throw new UsageException($"--reference is {clean.Shape} but the input is {noisy.Shape}: they must match.");
        string name = TrainingOptionSet.DisplayName(options);
        var denoiseOptions = new DenoiseOptions(options, steps, r.GetValue(_holdOut), Refit: r.GetValue(_refit));

        using var result = ProgressDisplay.Run(_ctx, quiet, p => DenoiseTask.Run(noisy, denoiseOptions, clean, p, _ctx.Cancellation));
        Paths.EnsureDirectory(output);
        ImageFile.SavePng(result.Output, output);
        if (modelPath is not null) { Paths.EnsureDirectory(modelPath); ModelFile.Save(result.Model, result.Frame, modelPath, result.Steps); }
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} denoise", [new CurvePlot.Series(name, result.Curve)]);

        var report = new Report("denoise")
            .Set("input", input).Set("width", noisy.Width).Set("height", noisy.Height).Set("channels", noisy.Channels)
            .Set("model", name).Set("reference", referencePath)
            .Set("steps", options.Iterative ? result.Steps : null).Set("stepsMode", !options.Iterative ? "none (plain backbone)" : result.Automatic ? "auto" : "fixed")
            .Set("stepScores", result.StepScores.Select(s => new { steps = s.Steps, heldOutMse = s.HeldOutMse }).ToArray())
            .Set("heldOutPixels", result.HeldOutPixels).Set("refitted", result.Refitted)
            .Set("psnr", result.Psnr).Set("ssim", result.Ssim).Set("noisyPsnr", result.NoisyPsnr).Set("noisySsim", result.NoisySsim)
            .Set("gainOverNoisy", result.Psnr - result.NoisyPsnr)
            .Set("iterations", result.Iterations).Set("parameters", result.Parameters)
            .Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.InferSeconds)
            .Set("outputs", new { image = output, model = modelPath, curve = curvePath })
            .SetOptions(options);
        if (reportPath is not null) report.Write(reportPath);

        if (!quiet)
        {
            string how = !options.Iterative ? "plain backbone (no steps)" : result.Automatic
                ? $"steps {result.Steps} (auto: held-out MSE {string.Join(" ", result.StepScores.Select(s => $"{s.Steps}:{s.HeldOutMse:0.00000}"))}{(result.Refitted ? "; refitted on all pixels" : "")})"
                : $"steps {result.Steps}";
            _ctx.Out.WriteLine($"{name} on {noisy.Width}×{noisy.Height}×{noisy.Channels}: {how}, train {result.TrainSeconds:0.0} s, infer {result.InferSeconds:0.000} s");
            if (result.Psnr is double psnr)
                _ctx.Out.WriteLine($"vs reference: PSNR {psnr:0.00} dB, SSIM {result.Ssim:0.0000}; noisy input PSNR {result.NoisyPsnr:0.00} dB, SSIM {result.NoisySsim:0.0000} ({psnr - result.NoisyPsnr:+0.00;-0.00} dB)");
            Summary.Wrote(_ctx, ("image", output), ("model", modelPath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
