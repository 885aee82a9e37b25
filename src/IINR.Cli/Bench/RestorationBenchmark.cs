using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML.IINR;

namespace IINR.Cli.Bench;

/// <summary>
/// The restoration suite: 4× super-resolution and photon-noise denoising on crops of photographs, plain vs
/// iterative at the library's task presets (exactly what <c>iinr superres</c> and <c>iinr denoise</c> do), beside
/// what a user has without the library (bicubic, the noisy input). Each photograph gives one centre crop per
/// size (<see cref="RestorationSet.Crops"/>); the crop is the truth, the input is its area-downscaled or noisy
/// version. Means over the crops, and per crop whether the I-version beat the alternative and the plain backbone.
/// </summary>
internal sealed class RestorationBenchmark
{
    readonly BenchSettings _s;
    readonly BenchReport _report;
    readonly IINRCatalog _iinr;
    readonly Action<string> _log;
    readonly CancellationToken _ct;
    readonly IReadOnlyList<BackboneKind> _backbones;

    public RestorationBenchmark(BenchSettings settings, BenchReport report, IINRCatalog iinr, IReadOnlyList<BackboneKind> backbones,
        Action<string> log, CancellationToken ct)
    {
        _s = settings; _report = report; _iinr = iinr; _backbones = backbones; _log = log; _ct = ct;
    }

    // One task's results: the rows of one table line (a backbone).
    sealed class Cell
    {
        public readonly List<double> Baseline = [], Plain = [], Iterative = [];
        public readonly List<double> SecondBaseline = []; // super-resolution: iterative back-projection
    }

    /// <summary>Runs super-resolution from every side of <see cref="BenchSettings.RestorationLowSides"/>, then denoising at every τ.</summary>
    public void Run()
    {
        var photographs = Photographs();
        var rows = new List<IReadOnlyList<string>>();
        foreach (int low in _s.RestorationLowSides)
        {
            var crops = CropsOf(photographs, 4 * low);
            if (crops.Count == 0) continue;
            var cells = _backbones.ToDictionary(k => k, _ => new Cell());
            foreach (var crop in crops)
            {
                var observed = crop.Downscaled(4);
                double bicubic = Psnr(Resampling.ResizeBicubic(observed, crop.Clean.Width, crop.Clean.Height), crop.Clean);
                // The classical answer to the same forward model: bicubic corrected until it area-averages back to the input.
                double backProjection = Psnr(Resampling.UpscaleBackProjection(observed, 4), crop.Clean);
                foreach (var kind in _backbones)
                {
                    var clock = Stopwatch.StartNew();
                    using var plain = _iinr.SuperResolve(observed, 4, Options(IINROptions.ForSuperResolution(observed, kind), iterative: false));
                    using var iter = _iinr.SuperResolve(observed, 4, Options(IINROptions.ForSuperResolution(observed, kind), iterative: true));
                    double pp = Psnr(plain.Image, crop.Clean), ip = Psnr(iter.Image, crop.Clean);
                    Add(cells[kind], bicubic, pp, ip);
                    cells[kind].SecondBaseline.Add(backProjection);
                    _report.Raw("restoration", new { task = "sr4x", from = low, crop = crop.Name, backbone = kind.ToString(), bicubicPsnr = bicubic, backProjectionPsnr = backProjection,
                        plainPsnr = pp, iterativePsnr = ip, plainSeconds = plain.TrainSeconds, iterativeSeconds = iter.TrainSeconds });
                    _log($"restoration sr 4× from {low}² {kind} on {crop.Name}: bicubic {bicubic:F2} (back-projection {backProjection:F2}), plain {pp:F2}, I- {ip:F2} dB ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            }
            rows.AddRange(Rows($"SR 4× from {low}²", "bicubic", crops.Count, cells, "back-projection"));
        }

        var denoiseCrops = CropsOf(photographs, _s.RestorationDenoiseSide);
        foreach (double tau in denoiseCrops.Count == 0 ? [] : _s.RestorationTaus)
        {
            var cells = _backbones.ToDictionary(k => k, _ => new Cell());
            foreach (var crop in denoiseCrops)
            {
                var noisy = crop.Noisy(tau);
                double input = Psnr(noisy, crop.Clean);
                foreach (var kind in _backbones)
                {
                    var clock = Stopwatch.StartNew();
                    // Both as `iinr denoise` runs them (--steps auto): the stopping iteration chosen on held-out pixels,
                    // and for the iterative model the steps too.
                    using var plain = _iinr.Denoise(noisy, Options(IINROptions.ForDenoising(kind), iterative: false), automaticSteps: true);
                    using var iter = _iinr.Denoise(noisy, Options(IINROptions.ForDenoising(kind), iterative: true), automaticSteps: true);
                    double pp = Psnr(plain.Image, crop.Clean), ip = Psnr(iter.Image, crop.Clean);
                    Add(cells[kind], input, pp, ip);
                    _report.Raw("restoration", new { task = "denoise", tau, crop = crop.Name, backbone = kind.ToString(), noisyPsnr = input,
                        plainPsnr = pp, iterativePsnr = ip, steps = iter.StepSelection?.Steps, plainStoppedAt = plain.StepSelection?.Iteration,
                        iterativeStoppedAt = iter.StepSelection?.Iteration, plainSeconds = plain.TrainSeconds, iterativeSeconds = iter.TrainSeconds });
                    _log($"restoration denoise τ={tau} {kind} on {crop.Name}: input {input:F2}, plain {pp:F2}, I- {ip:F2} dB ({clock.Elapsed.TotalSeconds:F0} s)");
                }
            }
            rows.AddRange(Rows($"denoise τ = {tau:0}, {_s.RestorationDenoiseSide}²", "noisy input", denoiseCrops.Count, cells));
        }

        string source = _s.ImagesDirectory is null ? "the generated set" : $"'{_s.ImagesDirectory}'" + (_s.ImageSet is { } set ? $" ({set} images)" : "");
        _report.Table("Restoration on photographs: plain vs I-version vs what a user has without the library (mean PSNR dB over the crops)",
            $"One centre crop per image of {source}; super-resolution observes the crop area-downscaled 4× and renders the crop, denoising sees " +
            $"y = (Poisson(τ·I) + {NoiseSimulator.DefaultReadoutSigma:0}·N(0,1)) / τ. Every fit at its task preset (IINROptions.ForSuperResolution / ForDenoising" +
            (_s.RestorationIterations is int n ? $", {n} iterations" : "") + "), seed 0; both models denoise as `iinr denoise --steps auto` runs them: stopped at the iteration that best predicts " +
            "5 % held-out noisy pixels, the I-version at the steps chosen there too. " +
            "Wins: crops where the I-version scored higher. Super-resolution's alternative is bicubic; in brackets iterative back-projection " +
            $"({Resampling.DefaultBackProjectionRounds} rounds against the area average), the classical answer to the same forward model.",
            ["task", "backbone", "crops", "alternative", "plain", "I-version", "I- − alternative", "I- − plain", "I- wins vs alternative", "I- wins vs plain"], rows);
    }

    static void Add(Cell cell, double baseline, double plain, double iterative)
    {
        cell.Baseline.Add(baseline); cell.Plain.Add(plain); cell.Iterative.Add(iterative);
    }

    static IEnumerable<IReadOnlyList<string>> Rows(string task, string alternative, int crops, Dictionary<BackboneKind, Cell> cells, string? secondAlternative = null) =>
        cells.Select(kv =>
        {
            var c = kv.Value;
            return (IReadOnlyList<string>)[task, kv.Key.ToString(), crops.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{alternative} {BenchReport.F(c.Baseline.Average())}" + (secondAlternative is null ? "" : $" ({secondAlternative} {BenchReport.F(c.SecondBaseline.Average())})"),
                BenchReport.F(c.Plain.Average()), BenchReport.F(c.Iterative.Average()),
                BenchReport.Signed(c.Iterative.Average() - c.Baseline.Average()), BenchReport.Signed(c.Iterative.Average() - c.Plain.Average()),
                $"{c.Iterative.Zip(c.Baseline).Count(p => p.First > p.Second)}/{crops}", $"{c.Iterative.Zip(c.Plain).Count(p => p.First > p.Second)}/{crops}"];
        });

    // The photographs: every image of --images (filtered to --image-set), or the generated set.
    IReadOnlyList<(string Name, SignalImage Image)> Photographs()
    {
        if (_s.ImagesDirectory is null)
        {
            int side = Math.Max(_s.RestorationDenoiseSide, 4 * _s.RestorationLowSides.DefaultIfEmpty(0).Max());
            return BenchImages.Generated(side, _s.ImageCount);
        }
        return BenchImages.LoadFull(_s.ImagesDirectory, _s.ImageSet);
    }

    List<RestorationCrop> CropsOf(IReadOnlyList<(string Name, SignalImage Image)> photographs, int side)
    {
        var crops = new List<RestorationCrop>();
        foreach (var (name, image) in photographs)
        {
            _ct.ThrowIfCancellationRequested();
            if (image.Width < side || image.Height < side)
            {
                _log($"restoration: '{name}' ({image.Width}×{image.Height}) is smaller than a {side}² crop; skipped at this size");
                continue;
            }
            crops.Add(RestorationSet.Crops(name, image, side)[0]);
        }
        return crops;
    }

    // The preset as the commands run it; only the seed, the compute settings and (with --quick) the iterations change.
    IINROptions Options(IINROptions preset, bool iterative)
    {
        preset.Model = preset.Model with
        {
            Iterative = iterative,
            Iterations = _s.RestorationIterations ?? preset.Model.Iterations,
            Seed = 0,
            Threads = _s.Threads,
            Device = _s.Device,
            ProgressInterval = _s.RestorationIterations ?? preset.Model.Iterations,
        };
        preset.CancellationToken = _ct;
        return preset;
    }

    static double Psnr(SignalImage output, SignalImage truth) => BenchRunner.Psnr(output, truth);
}
