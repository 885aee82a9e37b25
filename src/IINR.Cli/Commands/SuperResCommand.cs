using System.CommandLine;
using IINR.Cli.Batch;
using IINR.Cli.Output;
using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr superres</c>: fit a low-resolution image through the area-average forward model, render at any scale.</summary>
internal sealed class SuperResCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i") { Description = "Low-resolution image (PNG, JPEG, BMP) or builtin:testscene[:SIZE]; or a folder of them (folder mode: --jobs, --shard, --summary).", Required = true };
    readonly Option<double> _scale = new("--scale", "-s") { Description = "Output size as a multiple of the input size (any value, e.g. 4 = 4× zero-shot).", DefaultValueFactory = _ => 4 };
    readonly Option<int> _trainScale = new("--train-scale") { Description = "Integer scale of the rendered training grid, area-averaged back to the input (the paper: 2).", DefaultValueFactory = _ => TaskPresets.SuperResolutionTrainingScale };
    readonly Option<int> _backProjection = new("--back-projection") { Description = $"Rounds of back-projection that correct the output until it area-averages back to the input (0 = the network's render as it is; 0 to {IINROptions.MaxBackProjectionRounds}).", DefaultValueFactory = _ => TaskPresets.SuperResolutionBackProjectionRounds };
    readonly Option<string> _output = new("--output", "-o") { Description = "PNG to write (clipped to [0, 1], 8 bits); in folder mode a folder (a.jpg → a.png).", Required = true };
    readonly Option<string?> _reference = new("--reference", "-r") { Description = "The true high-resolution image (same size as the output): report PSNR/SSIM of the output and of bicubic upsampling. In folder mode a folder of them, matched by file name." };
    readonly Option<string?> _bicubic = new("--bicubic") { Description = "Also write the bicubic upsampling as a PNG." };
    readonly Option<string?> _model = new("--model", "-m") { Description = "Save the fitted model as an ML.NET model zip (for 'iinr render' or mlContext.Model.Load)." };
    readonly Option<string?> _curve = new("--curve") { Description = "Draw the training PSNR (through the forward model) against iteration as a PNG." };
    readonly TrainingOptionSet _training = new(b => IINROptions.ForSuperResolution(b));
    readonly OutputOptionSet _common = new();
    readonly BatchOptionSet _batch = new();

    SuperResCommand(CliContext ctx)
    {
        _ctx = ctx;
        _training.Omega0.Description = $"Frequency ω0 of SIREN and FINER (default here {TaskPresets.SuperResolution(BackboneKind.Siren).Omega0}, lower than for fitting: see docs/CLI.md) and of WIRE (default here {TaskPresets.SuperResolution(BackboneKind.Wire).Omega0}).";
        _training.HiddenSize.Description = "Hidden width H (WIRE uses ⌊H/√2⌋ complex units). Default: sized to the input, 4·√(width·height) from 128 (32×32) to 256 (64×64 and larger); in folder mode 128.";
    }

    public static Command Create(CliContext ctx)
    {
        var c = new SuperResCommand(ctx);
        return CommandBuilder.Build("superres", "Super-resolve an image: fit it through the forward model (render at --train-scale×, area-average back), render at --scale×.", c.Run,
            [c._input, c._scale, c._trainScale, c._backProjection, c._output, c._reference, c._bicubic, c._model, c._curve, .. c._training.All, .. c._common.All, .. c._batch.All]);
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!, output = r.GetValue(_output)!;
        string? referencePath = r.GetValue(_reference), bicubicPath = r.GetValue(_bicubic), modelPath = r.GetValue(_model), curvePath = r.GetValue(_curve);
        string? reportPath = r.GetValue(_common.Report);
        bool quiet = r.GetValue(_common.Quiet);
        double scale = r.GetValue(_scale);
        IINROptions Build(Func<BackboneKind, IINROptions> preset)
        {
            var built = _training.Build(r, _ctx.Cancellation, preset);
            built.TrainingScale = r.GetValue(_trainScale);
            built.BackProjectionRounds = r.GetValue(_backProjection);
            built.Validate();
            return built;
        }
        // Folder mode fits every image with one options object: the fixed preset.
        var options = Build(b => IINROptions.ForSuperResolution(b));
        if (BatchOptionSet.IsFolder(input))
            return _batch.Run(_ctx, r, "superres", input, output, referencePath, quiet,
                [("--bicubic", bicubicPath is not null), ("--model", modelPath is not null), ("--curve", curvePath is not null), ("--report", reportPath is not null)],
                (ml, execution) => ml.Transforms.IINR.SuperResolveImages(FolderBatch.OutputColumn, FolderBatch.InputColumn, scale, options, execution));
        Paths.RequireExtension(output, ".png", "--output");
        Paths.RequireExtension(bicubicPath, ".png", "--bicubic");
        Paths.RequireExtension(curvePath, ".png", "--curve");
        using var outputs = OutputFiles.Prepare([("--input", input), ("--reference", referencePath)],
            ("--output", output), ("--bicubic", bicubicPath), ("--model", modelPath), ("--curve", curvePath), ("--report", reportPath));
        var lr = Inputs.LoadImage(input);
        var (ow, oh) = ImageFrame.Of(lr).Scaled(scale);
        var reference = referencePath is null ? null : Inputs.LoadImage(referencePath, "--reference");
        if (reference is not null && (reference.Width != ow || reference.Height != oh || reference.Channels != lr.Channels))
            throw new UsageException($"--reference is {reference.Shape} but the output will be {ow}×{oh}×{lr.Channels} ({lr.Width}×{lr.Height} at {scale}×): they must match.");
        options = Build(b => IINROptions.ForSuperResolution(lr, b));   // the preset sized to this image
        string name = TrainingOptionSet.DisplayName(options.Model);

        var ml = new MLContext();
        var (result, curve) = ProgressDisplay.Train(_ctx, quiet, options, o => ml.Transforms.IINR.SuperResolve(lr, scale, o), "superres");
        using var _ = result;
        var sr = result.Image;
        var bicubic = Resampling.ResizeBicubic(lr, sr.Width, sr.Height);
        IINRMetrics? ours = null, baseline = null;
        if (reference is not null)
        {
            ours = IINRMetrics.FromImages(reference, sr.Clamp01());
            baseline = IINRMetrics.FromImages(reference, bicubic.Clamp01());
        }
        ImageFile.SavePng(sr, output);
        if (bicubicPath is not null) ImageFile.SavePng(bicubic, bicubicPath);
        if (modelPath is not null) ModelFile.Save(result.Model, modelPath);
        if (curvePath is not null) CurvePlot.Save(curvePath, $"{name} superres", [new CurvePlot.Series(name, curve)]);

        var report = new Report("superres")
            .Set("input", input).Set("width", lr.Width).Set("height", lr.Height).Set("channels", lr.Channels)
            .Set("scale", scale).Set("trainScale", options.TrainingScale).Set("backProjectionRounds", options.BackProjectionRounds).Set("outputWidth", sr.Width).Set("outputHeight", sr.Height)
            .Set("model", name).Set("reference", referencePath)
            .Set("psnr", ours?.Psnr).Set("ssim", ours?.Ssim).Set("bicubicPsnr", baseline?.Psnr).Set("bicubicSsim", baseline?.Ssim)
            .Set("gainOverBicubic", ours?.Psnr - baseline?.Psnr)
            .Set("trainPsnr", result.ObservationPsnr)
            .Set("iterations", options.Model.Iterations).Set("steps", options.Model.Steps)
            .Set("parameters", result.Model.BackboneParameterCount + result.Model.HeadParameterCount)
            .Set("trainSeconds", result.TrainSeconds).Set("inferSeconds", result.RenderSeconds)
            .Set("outputs", new { image = output, bicubic = bicubicPath, model = modelPath, curve = curvePath })
            .SetOptions(options.Model);
        if (reportPath is not null) report.Write(reportPath);
        outputs.Commit();

        if (!quiet)
        {
            _ctx.Out.WriteLine($"{name}: {lr.Width}×{lr.Height} → {sr.Width}×{sr.Height} ({scale}×, trained at {options.TrainingScale}×, back-projection {options.BackProjectionRounds} rounds), " +
                $"consistency PSNR {result.ObservationPsnr:0.00} dB, train {result.TrainSeconds:0.0} s, infer {result.RenderSeconds:0.000} s");
            if (ours is not null && baseline is not null)
            {
                double gain = ours.Psnr - baseline.Psnr;
                _ctx.Out.WriteLine($"vs reference: PSNR {ours.Psnr:0.00} dB, SSIM {Summary.Number(ours.Ssim, "0.0000")}; bicubic PSNR {baseline.Psnr:0.00} dB, SSIM {Summary.Number(baseline.Ssim, "0.0000")} " +
                    $"→ {(gain > 0 ? "beats" : "does not beat")} bicubic by {gain:+0.00;-0.00} dB");
            }
            Summary.Wrote(_ctx, ("image", output), ("bicubic", bicubicPath), ("model", modelPath), ("curve", curvePath), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
