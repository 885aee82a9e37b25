using IINR.Signals;
using IINR.Trainers;
using IINR.Trainers.Backbones;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace IINR.Tests.MLNet;

/// <summary>
/// The restoration presets on a real photograph (a crop shipped in data/photographs), exactly as a user runs them:
/// the catalog's task at its preset, only the thread count pinned. These pin what the presets are for, so a preset
/// change that loses to the alternative a user has without the library fails here.
/// </summary>
[TestClass]
public sealed class RestorationPresetTests
{
    private static RestorationCrop Crop(string name, int side) =>
        RestorationSet.Crops(name, ImageFile.Load(Path.Combine(AppContext.BaseDirectory, "Photographs", name + ".png")), side)[0];

    private static IINROptions OneThread(IINROptions preset, bool iterative = true)
    {
        preset.Model = preset.Model with { Iterative = iterative, Threads = 1, Device = ComputeDevice.Cpu };
        return preset;
    }

    private static double Psnr(SignalImage output, SignalImage truth) => ImageMetrics.Psnr(output.Clamp01(), truth);

    [TestMethod]
    public void SuperResolutionPresetBeatsBicubicAndThePlainBackboneAt4x()
    {
        // 32×32 → 128×128 on the coffee photograph (a tuning image).
        var crop = Crop("coffee", 128);
        var observed = crop.Downscaled(4);
        double bicubic = Psnr(Resampling.ResizeBicubic(observed, 128, 128), crop.Clean);
        var iinr = new MLContext(seed: 0).Transforms.IINR;
        using var iterative = iinr.SuperResolve(observed, 4, OneThread(IINROptions.ForSuperResolution()));
        using var plain = iinr.SuperResolve(observed, 4, OneThread(IINROptions.ForSuperResolution(), iterative: false));
        double ip = Psnr(iterative.Image, crop.Clean), pp = Psnr(plain.Image, crop.Clean);
        Assert.IsGreaterThan(bicubic + 0.5, ip, $"I-SIREN {ip:F2} dB vs bicubic {bicubic:F2} dB");
        Assert.IsGreaterThan(pp, ip, $"I-SIREN {ip:F2} dB vs plain SIREN {pp:F2} dB");
    }

    [TestMethod]
    public void BackProjectionLiftsTheRenderOfPlainWire()
    {
        // Plain WIRE 4× from 32×32 on coffee (a tuning image; measured: the render 28.41 dB, back-projected 28.69, bicubic
        // 27.36). The output is the render corrected to area-average back to the input; the model renders the network itself.
        var crop = Crop("coffee", 128);
        var observed = crop.Downscaled(4);
        double bicubic = Psnr(Resampling.ResizeBicubic(observed, 128, 128), crop.Clean);
        var options = OneThread(IINROptions.ForSuperResolution(observed, BackboneKind.Wire), iterative: false);
        using var result = new MLContext(seed: 0).Transforms.IINR.SuperResolve(observed, 4, options);
        double projected = Psnr(result.Image, crop.Clean), render = Psnr(result.Model.RenderSignalImage(128, 128), crop.Clean);
        Assert.IsGreaterThan(render + 0.1, projected, $"back-projected {projected:F2} dB vs the render {render:F2} dB");
        Assert.IsGreaterThan(bicubic + 0.5, projected, $"plain WIRE {projected:F2} dB vs bicubic {bicubic:F2} dB");
    }

    [TestMethod]
    public void IterativeDenoisingBeatsThePlainBackbone()
    {
        // Photon noise τ = 100 on the chelsea photograph (a tuning image), WIRE at its denoising preset; both models stop
        // on held-out pixels, as `iinr denoise` runs them, so the iterative model's gain is not the plain one overfitting.
        var crop = Crop("chelsea", 64);
        var noisy = crop.Noisy(100);
        var iinr = new MLContext(seed: 0).Transforms.IINR;
        using var iterative = iinr.Denoise(noisy, OneThread(IINROptions.ForDenoising(BackboneKind.Wire)));
        using var plain = iinr.Denoise(noisy, OneThread(IINROptions.ForDenoising(BackboneKind.Wire), iterative: false));
        double ip = Psnr(iterative.Image, crop.Clean), pp = Psnr(plain.Image, crop.Clean), input = Psnr(noisy, crop.Clean);
        Assert.IsLessThan(TaskPresets.Denoising(BackboneKind.Wire).Iterations, plain.StepSelection!.Iteration, "the plain model stopped early");
        Assert.IsGreaterThan(pp + 0.5, ip, $"I-WIRE {ip:F2} dB vs plain WIRE {pp:F2} dB");
        Assert.IsGreaterThan(input + 1, ip, $"I-WIRE {ip:F2} dB vs the noisy input's {input:F2} dB");
    }

    [TestMethod]
    public void DenoisingStopsBeforeTheFitReproducesTheNoise()
    {
        // Photon noise τ = 30 on the brick photograph (a tuning image): fine texture, which a long fit trades for noise.
        var crop = Crop("brick", 64);
        var noisy = crop.Noisy(30);
        var iinr = new MLContext(seed: 0).Transforms.IINR;
        var options = OneThread(IINROptions.ForDenoising(), iterative: false);
        options.Model = options.Model with { Steps = 1, Iterations = 600 };
        using var automatic = iinr.Denoise(noisy, options);
        using var toTheEnd = iinr.Denoise(noisy, options, automaticSteps: false);
        double auto = Psnr(automatic.Image, crop.Clean), end = Psnr(toTheEnd.Image, crop.Clean), input = Psnr(noisy, crop.Clean);
        Assert.IsLessThan(600, automatic.StepSelection!.Iteration, "stopped early");
        Assert.IsGreaterThan(end + 0.5, auto, $"stopped at {automatic.StepSelection.Iteration}: {auto:F2} dB; all 600 iterations: {end:F2} dB");
        Assert.IsGreaterThan(input + 5, auto, $"{auto:F2} dB vs the noisy input's {input:F2} dB");
    }
}
