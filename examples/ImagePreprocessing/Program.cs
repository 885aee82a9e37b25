// Super-resolution as a step of an ML.NET image pipeline. The photographs of a reference folder (default: the three
// 128×128 crops in images/) are area-downscaled 4× into a folder of low-resolution files; the pipeline
//   LoadImages → SuperResolveImages (4×) → ResizeImages (224×224) → ExtractPixels
// reads that folder as a downstream model's preprocessing would, and each super-resolved image is compared with its
// reference and with bicubic upscaling of the same file.
// Usage: dotnet run -c Release --project examples/ImagePreprocessing [referenceFolder = images] [iterations = 0: the preset's] [outputDirectory = .] [hiddenSize = 0: the preset's] [concurrentFits = 0: the processor count]
using System.Collections.Concurrent;
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace ImagePreprocessing;

public static class Program
{
    private const int Scale = 4;

    public static int Main(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i]) : fallback;
        try
        {
            Run(args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "images"), Arg(1, 0), args.Length > 2 ? args[2] : ".", Arg(3, 0), Arg(4, 0));
            return 0;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    /// <summary>Runs the pipeline on the 4×-downscaled images of <paramref name="referenceFolder"/>; returns one line per image.</summary>
    /// <param name="concurrentFits">Images fitted at once; 0 = the processor count (one libtorch thread each).</param>
    /// <param name="iterations">Training iterations per image; 0 = the super-resolution preset's.</param>
    /// <param name="hiddenSize">Width of the network's hidden layers; 0 = the preset's (one width for every image of a pipeline step).</param>
    public static IReadOnlyList<ImageReport> Run(string referenceFolder, int iterations, string outputDirectory, int hiddenSize = 0, int concurrentFits = 0)
    {
        if (!Directory.Exists(referenceFolder)) throw new DirectoryNotFoundException($"Reference folder '{referenceFolder}' was not found.");
        string[] references = Directory.GetFiles(referenceFolder, "*.png").Order(StringComparer.Ordinal).ToArray();
        if (references.Length == 0) throw new FileNotFoundException($"Reference folder '{referenceFolder}' holds no PNG file.");

        // The folder a preprocessing job would get: low-resolution files (what a camera with 4× larger pixels sees).
        string imageFolder = Path.Combine(outputDirectory, "low-resolution");
        Directory.CreateDirectory(imageFolder);
        foreach (string reference in references)
            ImageFile.SavePng(Resampling.DownscaleArea(ImageFile.Load(reference), Scale), Path.Combine(imageFolder, Path.GetFileName(reference)));

        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(references.Select(r => new ImagePath { Path = Path.GetFileName(r) }).ToList());

        var options = IINROptions.ForSuperResolution();
        options.Model = options.Model with
        {
            Iterations = iterations > 0 ? iterations : options.Model.Iterations,
            HiddenSize = hiddenSize > 0 ? hiddenSize : options.Model.HiddenSize,
        };
        var reports = new ConcurrentDictionary<long, IINRImageProgress>();   // per row: seconds, PSNR on the observed pixels
        var execution = new IINRImageExecution { ConcurrentFits = concurrentFits, Progress = new CallbackProgress<IINRImageProgress>(r => reports[r.Row] = r) };

        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, "Path")
            .Append(mlContext.Transforms.IINR.SuperResolveImages(outputColumnName: "HighRes", inputColumnName: "Image", scale: Scale, options, execution))
            .Append(mlContext.Transforms.ResizeImages("Small", 224, 224, "HighRes"))
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Small"));   // the downstream model's input vector
        var model = pipeline.Fit(data);                                        // checks the schema; fits nothing yet

        Console.WriteLine($"{references.Length} images, {Scale}× with I-SIREN ({options.Model.Iterations} iterations, {options.Model.HiddenLayers}×{options.Model.HiddenSize}), then 224×224 pixels:");
        Console.WriteLine($"  {"image",-16} {"input",-8} {"output",-8} {"seconds",8} {"PSNR dB",8} {"bicubic",8} {"pixels",8}");
        var results = new List<ImageReport>();
        long row = 0;
        foreach (var output in mlContext.Data.CreateEnumerable<PreprocessedRow>(model.Transform(data), reuseRowObject: false))
        {
            using var highRes = output.HighRes!;
            var low = ImageFile.Load(Path.Combine(imageFolder, output.Path));
            var reference = ImageFile.Load(Path.Combine(referenceFolder, output.Path));
            using var referenceImage = reference.ToMLImage();                  // all compared as 8-bit images
            using var bicubic = Resampling.ResizeBicubic(low, highRes.Width, highRes.Height).ToMLImage();
            highRes.Save(Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(output.Path) + "-4x.png"));

            var report = new ImageReport(output.Path, low.Width, low.Height, highRes.Width, highRes.Height, reports[row++].Seconds,
                IINRMetrics.FromImages(referenceImage, highRes).Psnr, IINRMetrics.FromImages(referenceImage, bicubic).Psnr, output.Pixels!.Length);
            results.Add(report);
            Console.WriteLine($"  {report.Name,-16} {$"{report.InputWidth}×{report.InputHeight}",-8} {$"{report.OutputWidth}×{report.OutputHeight}",-8} " +
                $"{report.Seconds,8:F2} {report.Psnr,8:F2} {report.BicubicPsnr,8:F2} {report.PixelCount,8}");
        }
        Console.WriteLine($"Mean PSNR {results.Average(r => r.Psnr):F2} dB, bicubic {results.Average(r => r.BicubicPsnr):F2} dB; " +
            $"super-resolved images in {Path.GetFullPath(outputDirectory)}");
        return results;
    }

    private sealed class ImagePath
    {
        public string Path { get; set; } = "";
    }

    private sealed class PreprocessedRow
    {
        public string Path { get; set; } = "";
        public MLImage? HighRes { get; set; }
        public float[]? Pixels { get; set; }
    }

    // Progress reported on the fitting thread (Progress<T> would post it to the thread pool, possibly after the row is read).
    private sealed class CallbackProgress<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}

/// <summary>One image of the pipeline.</summary>
/// <param name="Name">The file's name.</param>
/// <param name="InputWidth">Low-resolution width.</param>
/// <param name="InputHeight">Low-resolution height.</param>
/// <param name="OutputWidth">Super-resolved width.</param>
/// <param name="OutputHeight">Super-resolved height.</param>
/// <param name="Seconds">Wall time of the image's fit and render.</param>
/// <param name="Psnr">PSNR in dB of the super-resolved image against the reference.</param>
/// <param name="BicubicPsnr">PSNR in dB of bicubic upscaling against the reference.</param>
/// <param name="PixelCount">Length of the extracted pixel vector.</param>
public sealed record ImageReport(string Name, int InputWidth, int InputHeight, int OutputWidth, int OutputHeight, double Seconds,
    double Psnr, double BicubicPsnr, int PixelCount);
