// Fit one image twice with ML.NET, with a plain SIREN (Iterative = false) and with I-SIREN (the
// iterative model), print their PSNR/SSIM side by side and save both reconstructions as PNGs.
// Usage: dotnet run -c Release --project examples/ImageFitting [image.png | size = 128] [iterations = 300] [outputDirectory = .] [hiddenSize = 128]
// Without an image the generated test scene is fitted at size×size.
using System.Diagnostics;
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace ImageFitting;

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

    /// <summary>Fits SIREN and I-SIREN to the image (or the test scene at size×size); returns both fits' metrics.</summary>
    public static (IINRMetrics Siren, IINRMetrics ISiren) Run(int size, int iterations, string outputDirectory,
        int hiddenSize = 128, string? imagePath = null)
    {
        var ml = new MLContext(seed: 0);
        var data = imagePath is null
            ? ml.Data.LoadFromImage(TestScene.Render(size, size))
            : ml.Data.LoadFromImage(imagePath);              // FileNotFoundException when it is missing
        Directory.CreateDirectory(outputDirectory);

        var metrics = new List<IINRMetrics>();
        Console.WriteLine($"{"model",-8} {"params",8} {"PSNR dB",8} {"SSIM",7} {"seconds",8}");
        foreach (var (name, iterative) in new[] { ("SIREN", false), ("I-SIREN", true) })
        {
            var clock = Stopwatch.StartNew();
            var options = IINROptions.ForFitting();          // the fitting preset, at this example's size
            options.Model = options.Model with { Iterative = iterative, Iterations = iterations, HiddenSize = hiddenSize, Seed = 0 };
            using var model = ml.Transforms.IINR.Fit(data, options);
            var m = ml.Transforms.IINR.Evaluate(model.Transform(data));
            metrics.Add(m);
            Console.WriteLine($"{name,-8} {model.BackboneParameterCount + model.HeadParameterCount,8} {m.Psnr,8:F2} " +
                $"{m.Ssim,7:F4} {clock.Elapsed.TotalSeconds,8:F1}");

            using var image = model.RenderImage();           // at the fitted image's size
            image.Save(Path.Combine(outputDirectory, $"{name.ToLowerInvariant()}.png"));
        }
        Console.WriteLine($"Saved siren.png and i-siren.png to {Path.GetFullPath(outputDirectory)}");
        return (metrics[0], metrics[1]);
    }
}
