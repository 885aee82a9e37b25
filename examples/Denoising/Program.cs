// Denoise an image with I-SIREN: photon noise (Poisson, τ = 30, plus readout noise σ = 2) is added
// to the test scene, I-SIREN with the denoising preset (a low ω0) is fitted to the noisy pixels, and the fit is rendered
// with 1, 2 and 4 inference steps (more steps recover more detail, and eventually the noise too).
// With a noisy image of your own there is no clean reference, so only the PNGs are written.
// Usage: dotnet run -c Release --project examples/Denoising [noisy.png | size = 128] [iterations = 300] [outputDirectory = .] [hiddenSize = 128]
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace Denoising;

public static class Program
{
    public static int Main(string[] args)
    {
        // The first argument is a file path or a number (the size of the generated test scene).
        string? path = args.Length > 0 && !int.TryParse(args[0], out _) ? args[0] : null;
        int Arg(int i, int fallback) => args.Length > i && (i > 0 || path is null) ? int.Parse(args[i]) : fallback;
        try
        {
            Run(Arg(0, 128), Arg(1, 300), args.Length > 2 ? args[2] : ".", Arg(3, 128), path);
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>Denoises the image (or the noisy test scene); returns the PSNR of the noisy input and of the
    /// reconstruction at 1, 2 and 4 steps against the clean scene (null without a clean reference).</summary>
    public static (double? NoisyPsnr, IReadOnlyDictionary<int, double?> Psnr) Run(int size, int iterations, string outputDirectory,
        int hiddenSize = 128, string? imagePath = null)
    {
        var ml = new MLContext(seed: 0);
        var clean = imagePath is null ? TestScene.Render(size, size) : null;
        var noisy = clean is null ? ImageFile.Load(imagePath!) : NoiseSimulator.AddPhotonNoise(clean, tau: 30, readoutSigma: 2, seed: 0);
        Directory.CreateDirectory(outputDirectory);
        ImageFile.SavePng(noisy, Path.Combine(outputDirectory, "noisy.png"));

        // The denoising preset: SIREN with a low ω0, so the fit does not reproduce the noise.
        var options = IINROptions.ForDenoising();
        options.Model = options.Model with { Iterations = iterations, HiddenSize = hiddenSize, Seed = 0 };
        using var model = ml.Transforms.IINR.Fit(ml.Data.LoadFromImage(noisy), options);
        double? noisyPsnr = clean is null ? null : IINRMetrics.FromImages(clean, noisy).Psnr;
        Console.WriteLine(noisyPsnr is double n ? $"noisy input      PSNR {n:F2} dB" : "no clean reference: saving the reconstructions only");

        var psnr = new Dictionary<int, double?>();
        foreach (int steps in new[] { 1, 2, 4 })
        {
            using var k = model.WithSteps(steps);            // same weights, another inference schedule
            var denoised = k.RenderSignalImage(noisy.Width, noisy.Height);
            ImageFile.SavePng(denoised, Path.Combine(outputDirectory, $"denoised-{steps}.png"));
            psnr[steps] = clean is null ? null : IINRMetrics.FromImages(clean, denoised).Psnr;   // against the clean image
            if (psnr[steps] is double p) Console.WriteLine($"I-SIREN, {steps} step{(steps > 1 ? "s" : " ")}  PSNR {p:F2} dB");
        }
        Console.WriteLine($"Saved noisy.png and denoised-1/2/4.png to {Path.GetFullPath(outputDirectory)}");
        return (noisyPsnr, psnr);
    }
}
