using System.CommandLine;
using IINR.Cli.Output;
using IINR.Cli.Tasks;
using IINR.Signals;
using Microsoft.ML.IINR;

namespace IINR.Cli.Commands;

/// <summary><c>iinr degrade</c>: the benchmark simulators (area downscale, photon noise).</summary>
internal sealed class DegradeCommand
{
    readonly CliContext _ctx;
    readonly Option<string> _input = new("--input", "-i") { Description = "Image (PNG, JPEG, BMP) or builtin:testscene[:SIZE|:WxH].", Required = true };
    readonly Option<string> _output = new("--output", "-o")
    {
        Description = "PNG to write. A PNG holds 8 bits in [0, 1]: noisy values outside are clipped and all values are rounded to 1/255 (the report says how many were clipped).",
        Required = true,
    };
    readonly Option<int> _downscale = new Option<int>("--downscale") { Description = "Area-downscale by this integer factor (the mean of each S×S block; a size that is not a multiple is cropped at the right/bottom).", DefaultValueFactory = _ => 1 }.InRange(1, 1024);
    readonly Option<double?> _photon = new Option<double?>("--photon") { Description = "Photon noise with τ photons per unit intensity: y = (Poisson(τ·I) + σ·N(0,1)) / τ (the baselines use τ = 30)." }.Positive();
    readonly Option<double> _readout = new("--readout") { Description = "Readout noise σ in photo-electrons, added before dividing by τ (with --photon; the baselines use 2).", DefaultValueFactory = _ => NoiseSimulator.DefaultReadoutSigma };
    readonly Option<int> _seed = new Option<int>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0 }.InRange(0, int.MaxValue);
    readonly OutputOptionSet _common = new();

    DegradeCommand(CliContext ctx)
    {
        _ctx = ctx;
        _readout.Validators.Add(res =>
        {
            double v;
            try { v = res.GetValueOrDefault<double>(); } catch (InvalidOperationException) { return; }
            if (!(v >= 0) || !double.IsFinite(v)) res.AddError($"--readout must be a finite value ≥ 0; got {v}.");
        });
    }

    public static Command Create(CliContext ctx)
    {
        var c = new DegradeCommand(ctx);
        var cmd = new Command("degrade", "Degrade an image as the benchmarks do: area downscale, then photon noise. Output is an 8-bit PNG, clipped to [0, 1].");
        cmd.Add(c._input); cmd.Add(c._output); cmd.Add(c._downscale); cmd.Add(c._photon); cmd.Add(c._readout); cmd.Add(c._seed);
        c._common.AddTo(cmd);
        cmd.SetAction(c.Run);
        return cmd;
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!, output = r.GetValue(_output)!;
        string? reportPath = r.GetValue(_common.Report);
        Paths.RequireExtension(output, ".png", "--output");
        var readoutResult = r.GetResult(_readout);
        if (readoutResult is { Implicit: false } && r.GetValue(_photon) is null)
            throw new UsageException("--readout needs --photon (the readout noise is part of the photon-noise simulator).");
        var image = Inputs.LoadImage(input);
        var options = new DegradeOptions(r.GetValue(_downscale), r.GetValue(_photon), r.GetValue(_readout), (ulong)r.GetValue(_seed));
        var result = DegradeTask.Run(image, options);
        Paths.EnsureDirectory(output);
        ImageFile.SavePng(result.Image, output);
        if (reportPath is not null)
            new Report("degrade").Set("input", input).Set("inputWidth", image.Width).Set("inputHeight", image.Height)
                .Set("width", result.Image.Width).Set("height", result.Image.Height).Set("channels", result.Image.Channels)
                .Set("downscale", options.Downscale).Set("croppedWidth", result.CroppedWidth).Set("croppedHeight", result.CroppedHeight)
                .Set("photonTau", options.PhotonTau).Set("readoutSigma", options.PhotonTau is null ? null : options.ReadoutSigma).Set("seed", options.PhotonTau is null ? null : r.GetValue(_seed))
                .Set("clippedFraction", result.OutOfRangeFraction).Set("outputs", new { image = output }).Write(reportPath);
        if (!r.GetValue(_common.Quiet))
        {
            var parts = new List<string>();
            if (result.CroppedWidth + result.CroppedHeight > 0) parts.Add($"cropped {result.CroppedWidth} columns and {result.CroppedHeight} rows to a multiple of {options.Downscale}");
            if (options.Downscale > 1) parts.Add($"area-downscaled {options.Downscale}×");
            if (options.PhotonTau is double tau) parts.Add($"photon noise τ = {tau}, σ = {options.ReadoutSigma} (seed {r.GetValue(_seed)}); {100 * result.OutOfRangeFraction:0.00}% of values clipped to [0, 1] by the PNG");
            _ctx.Out.WriteLine($"{image.Width}×{image.Height} → {result.Image.Width}×{result.Image.Height}{(parts.Count > 0 ? ": " + string.Join("; ", parts) : " (unchanged)")}");
            Summary.Wrote(_ctx, ("image", output), ("report", reportPath));
        }
        return ExitCodes.Success;
    }
}
