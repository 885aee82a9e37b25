// Super-resolution as a preprocessing step: SuperResolver (SuperResolver.cs) fits I-SIREN to a
// low-resolution image through the 2× forward model (mlContext.Transforms.IINR.SuperResolve with the
// super-resolution preset, IINROptions.ForSuperResolution) and renders it
// at 4×. Without an image, the test scene rendered at size×size is area-downscaled 4× and the
// upscaled result is compared with the true image and with bicubic upscaling.
// Usage: dotnet run -c Release --project examples/SuperResolution [low-res.png | size = 128] [iterations = 0: the preset's] [outputDirectory = .] [hiddenSize = 0: the preset's]
using IINR.Signals;
using Microsoft.ML.IINR;

namespace SuperResolution;

public static class Program
{
    public static int Main(string[] args)
    {
        // The first argument is a file path or a number (the size of the generated test scene).
        string? path = args.Length > 0 && !int.TryParse(args[0], out _) ? args[0] : null;
        int Arg(int i, int fallback) => args.Length > i && (i > 0 || path is null) ? int.Parse(args[i]) : fallback;
        try
        {
            Run(Arg(0, 128), Arg(1, 0), args.Length > 2 ? args[2] : ".", Arg(3, 0), path);
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>Upscales the image (or the 4×-downscaled test scene) 4×; returns the output size and, for
    /// the test scene, the PSNR of the output and of bicubic upscaling against the true image. An iteration count or
    /// width of 0 keeps the super-resolution preset's.</summary>
    public static (int Width, int Height, double? Psnr, double? BicubicPsnr) Run(int size, int iterations, string outputDirectory,
        int hiddenSize = 0, string? imagePath = null)
    {
        const int Scale = 4;
        var resolver = new SuperResolver(iterations > 0 ? iterations : null, hiddenSize > 0 ? hiddenSize : null);
        Directory.CreateDirectory(outputDirectory);
        string outputPath = Path.Combine(outputDirectory, "upscaled-4x.png");
        if (imagePath is not null)
        {
            using var upscaled = resolver.Upscale(imagePath, Scale);
            upscaled.Save(outputPath);
            Console.WriteLine($"Upscaled {imagePath} to {upscaled.Width}×{upscaled.Height}: {Path.GetFullPath(outputPath)}");
            return (upscaled.Width, upscaled.Height, null, null);
        }

        var truth = TestScene.Render(size, size);
        var low = Resampling.DownscaleArea(truth, Scale);        // what a camera with 4× larger pixels sees
        using var lowImage = low.ToMLImage();
        using var output = resolver.Upscale(lowImage, Scale);
        output.Save(outputPath);
        using var bicubic = Resampling.ResizeBicubic(low, output.Width, output.Height).ToMLImage();
        bicubic.Save(Path.Combine(outputDirectory, "bicubic-4x.png"));
        lowImage.Save(Path.Combine(outputDirectory, "low-resolution.png"));

        using var truthImage = truth.ToMLImage();        // all three compared as 8-bit images
        var ours = IINRMetrics.FromImages(truthImage, output);
        var baseline = IINRMetrics.FromImages(truthImage, bicubic);
        Console.WriteLine($"{low.Width}×{low.Height} → {output.Width}×{output.Height}, against the true {size}×{size} image:");
        Console.WriteLine($"  I-SIREN  PSNR {ours.Psnr:F2} dB, SSIM {ours.Ssim:F4}");
        Console.WriteLine($"  bicubic  PSNR {baseline.Psnr:F2} dB, SSIM {baseline.Ssim:F4}");
        Console.WriteLine($"Saved upscaled-4x.png, bicubic-4x.png and low-resolution.png to {Path.GetFullPath(outputDirectory)}");
        return (output.Width, output.Height, ours.Psnr, baseline.Psnr);
    }
}
