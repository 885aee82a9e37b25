using System.CommandLine;
using IINR.Cli.Output;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr fit</c>: fit an image and measure the reconstruction.</summary>
internal sealed class FitCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i") { Description = "Image to fit (PNG, JPEG, BMP) or builtin:testscene[:SIZE].", DefaultValueFactory = _ => Defaults.DefaultImage };
    readonly Option<string?> _output = new("--output", "-o") { Description = "Write the reconstruction as a PNG (clipped to [0, 1], 8 bits)." };
    readonly Option<string?> _model = new("--model", "-m") { Description = "Save the fitted model as an ML.NET model zip (for 'iinr render' or mlContext.Model.Load)." };
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR against iteration as a PNG." };
    readonly Option<double?> _weightsPerValue = new("--weights-per-value")
    {
        Description = "Size the backbone to this many weights per image value (pixels × channels) instead of a width; the paper's Kodak runs fit 0.23. " +
            "Fourier features then use the positional encoding to the image's Nyquist frequency. Not with --hidden-size or --fourier-encoding, --fourier-features, --fourier-octaves.",
    };
    readonly TrainingOptionSet _training = new(b => IINROptions.ForFitting(b));
    readonly OutputOptionSet _common = new();

    FitCommand(CliContext ctx) => _ctx = ctx;

    public static Command Create(CliContext ctx)
    {
        var c = new FitCommand(ctx);
        return CommandBuilder.Build("fit", "Fit an image with an (iterative) implicit neural representation; report PSNR, SSIM, parameters and times.", c.Run,
            [c._input, c._output, c._model, c._curve, c._weightsPerValue, .. c._training.All, .. c._common.All]);
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!;
        string? output = r.GetValue(_output), modelPath = r.GetValue(_model), curvePath = r.GetValue(_curve), reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        Paths.RequireExtension(output, ".png", "--output");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        var options = _training.Build(r, _ctx.Cancellation);
        double? budget = r.GetValue(_weightsPerValue);
        if (budget is double b)
        {
            if (!(b > 0) || double.IsInfinity(b))
                throw new UsageException($"--weights-per-value must be a positive number of weights per image value (the paper's 0.23); got {b}.");
            var sizing = new Option?[] { _training.HiddenSize, _training.FourierEncoding, _training.FourierFeatures, _training.FourierOctaves }
                .FirstOrDefault(o => o is not null && r.GetResult(o) is not null);
            if (sizing is not null)
                throw new UsageException($"--weights-per-value sizes the network and chooses Fourier features' encoding; give it or {sizing.Name}, not both.");
        }
        using var outputs = OutputFiles.Prepare([("--input", input)], ("--output", output), ("--model", modelPath), ("--curve", curvePath), ("--report", reportPath));
        var image = Inputs.LoadImage(input);
        if (budget is double weightsPerValue)
            options.Model = TaskPresets.FittingForBudget(options.Model, weightsPerValue, image);
        string name = TrainingOptionSet.DisplayName(options.Model);

        var ml = new MLContext();
        var (result, curve) = ProgressDisplay.Train(_ctx, quiet, options, o => ml.Transforms.IINR.FitImage(image, o), name);
        using var _ = result;
        var model = result.Model;
        var metrics = IINRMetrics.FromImages(image, result.Image.Clamp01());
        if (output is not null) ImageFile.SavePng(result.Image, output);
        if (modelPath is not null) ModelFile.Save(model, modelPath);
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} fit", [new CurvePlot.Series(name, curve)]);

        long parameters = model.BackboneParameterCount + model.HeadParameterCount;
        var report = new Report("fit")
            .Set("input", input).Set("width", image.Width).Set("height", image.Height).Set("channels", image.Channels)
            .Set("model", name)
            .Set("psnr", metrics.Psnr).Set("ssim", metrics.Ssim).Set("iterations", model.ModelOptions.Iterations).Set("steps", model.Steps)
            .Set("parameters", parameters).Set("backboneParameters", model.BackboneParameterCount).Set("headParameters", model.HeadParameterCount)
            .Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.RenderSeconds)
            .Set("outputs", new { reconstruction = output, model = modelPath, curve = curvePath })
            .Set("curve", curve.Select(p => new { iteration = p.Iteration, psnr = Math.Round(p.Psnr, 4), loss = p.Loss }).ToArray())
            .SetOptions(model.ModelOptions); // as trained: FitImage may set the rate for the network's size
        if (reportPath is not null) report.Write(reportPath);
        outputs.Commit();

        if (!quiet)
        {
            _ctx.Out.WriteLine($"{name} on {image.Width}×{image.Height}×{image.Channels}: PSNR {metrics.Psnr:0.00} dB, SSIM {Summary.Number(metrics.Ssim, "0.0000")}, " +
                $"{model.ModelOptions.Iterations} iterations, {parameters:N0} parameters, train {result.TrainSeconds:0.0} s, infer {result.RenderSeconds:0.000} s");
            Summary.Wrote(_ctx, ("reconstruction", output), ("model", modelPath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}

/// <summary>Shared summary lines.</summary>
internal static class Summary
{
    public static void Wrote(CliContext ctx, params (string What, string? Path)[] files)
    {
        foreach (var (what, path) in files)
            if (path is not null) ctx.Out.WriteLine($"wrote {what}: {path}");
    }

    /// <summary>A metric that may not exist (SSIM below 11×11 pixels): formatted, or "n/a".</summary>
    public static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "n/a";
}
