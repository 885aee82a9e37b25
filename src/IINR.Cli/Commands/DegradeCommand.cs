using System.CommandLine;
using IINR.Cli.Output;
using IINR.Signals;

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
        return CommandBuilder.Build("degrade", "Degrade an image as the benchmarks do: area downscale, then photon noise. Output is an 8-bit PNG, clipped to [0, 1].", c.Run,
            [c._input, c._output, c._downscale, c._photon, c._readout, c._seed, .. c._common.All]);
    }

    int Run(ParseResult r)
    {
        string input = r.GetValue(_input)!, output = r.GetValue(_output)!;
        string? reportPath = r.GetValue(_common.Report);
        Paths.RequireExtension(output, ".png", "--output");
        var readoutResult = r.GetResult(_readout);
        if (readoutResult is { Implicit: false } && r.GetValue(_photon) is null)
            throw new UsageException("--readout needs --photon (the readout noise is part of the photon-noise simulator).");
        using var outputs = OutputFiles.Prepare([("--input", input)], ("--output", output), ("--report", reportPath));
        var image = Inputs.LoadImage(input);
        int downscale = r.GetValue(_downscale);
        double? photon = r.GetValue(_photon);
        double readout = r.GetValue(_readout);
        var (degraded, croppedWidth, croppedHeight) = Degrade(image, downscale, photon, readout, (ulong)r.GetValue(_seed));
        double clipped = degraded.OutOfRangeFraction();
        ImageFile.SavePng(degraded, output);
        if (reportPath is not null)
            new Report("degrade").Set("input", input).Set("inputWidth", image.Width).Set("inputHeight", image.Height)
                .Set("width", degraded.Width).Set("height", degraded.Height).Set("channels", degraded.Channels)
                .Set("downscale", downscale).Set("croppedWidth", croppedWidth).Set("croppedHeight", croppedHeight)
                .Set("photonTau", photon).Set("readoutSigma", photon is null ? null : readout).Set("seed", photon is null ? null : r.GetValue(_seed))
                .Set("clippedFraction", clipped).Set("outputs", new { image = output }).Write(reportPath);
        outputs.Commit();
        if (!r.GetValue(_common.Quiet))
        {
            var parts = new List<string>();
            if (croppedWidth + croppedHeight > 0) parts.Add($"cropped {croppedWidth} columns and {croppedHeight} rows to a multiple of {downscale}");
            if (downscale > 1) parts.Add($"area-downscaled {downscale}×");
            if (photon is double tau) parts.Add($"photon noise τ = {tau}, σ = {readout} (seed {r.GetValue(_seed)}); {100 * clipped:0.00}% of values clipped to [0, 1] by the PNG");
            _ctx.Out.WriteLine($"{image.Width}×{image.Height} → {degraded.Width}×{degraded.Height}{(parts.Count > 0 ? ": " + string.Join("; ", parts) : " (unchanged)")}");
            Summary.Wrote(_ctx, ("image", output), ("report", reportPath));
        }
        return ExitCodes.Success;
    }

    /// <summary>The benchmarks' degradations: a size that is not a multiple of the factor is cropped at the right and
    /// bottom, then area-downscaled by the integer factor (the mean of each block), then photon noise as in the
    /// baselines' code, y = (Poisson(τ·I) + σ·N(0, 1)) / τ (<see cref="NoiseSimulator.AddPhotonNoise"/>). Not clipped.</summary>
    static (SignalImage Image, int CroppedWidth, int CroppedHeight) Degrade(SignalImage image, int factor, double? photonTau, double readoutSigma, ulong seed)
    {
        if (factor > image.Width || factor > image.Height)
            throw new UsageException($"--downscale {factor} is larger than the {image.Width}×{image.Height} image.");
        int cw = image.Width % factor, ch = image.Height % factor;
        var result = image;
        if (cw != 0 || ch != 0) result = Resampling.Crop(result, 0, 0, image.Width - cw, image.Height - ch);
        if (factor > 1) result = Resampling.DownscaleArea(result, factor);
        if (photonTau is double tau) result = NoiseSimulator.AddPhotonNoise(result, tau, readoutSigma, seed);
        return (result, cw, ch);
    }
}
