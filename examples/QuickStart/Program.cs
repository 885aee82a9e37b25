// Fit an iterative implicit neural representation to an image with ML.NET, evaluate it, render it
// at 4× (super-resolution), save it as a model zip and load it back.
// Usage: dotnet run -c Release --project examples/QuickStart [size = 128] [iterations = 300] [outputDirectory = .]
using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.IINR;

namespace QuickStart;

public static class Program
{
    public static void Main(string[] args) => Run(args.Length > 0 ? int.Parse(args[0]) : 128,
        args.Length > 1 ? int.Parse(args[1]) : 300, args.Length > 2 ? args[2] : ".");

    /// <summary>The whole flow; returns the fit's metrics and whether the reloaded model renders identically.</summary>
    public static (IINRMetrics Metrics, bool ReloadedIsIdentical) Run(int size, int iterations, string outputDirectory, int hiddenSize = 256)
    {
        var ml = new MLContext(seed: 0);
        var image = TestScene.Render(size, size);           // or: ml.Data.LoadFromImage("photo.png")
        var data = ml.Data.LoadFromImage(image);            // one row per pixel: Coordinates, Signal
        using var model = ml.Transforms.IINR.Fit(data, new IINROptions { Model = new() { Iterations = iterations, HiddenSize = hiddenSize } });

        var metrics = ml.Transforms.IINR.Evaluate(model.Transform(data));
        Console.WriteLine($"Fitted {size}×{size} in {iterations} iterations: {metrics}");

        using (var large = model.RenderImage(4 * size, 4 * size))   // the same frame on a 4× finer grid
            large.Save(Path.Combine(outputDirectory, "scene-4x.png"));

        var zip = Path.Combine(outputDirectory, "scene-model.zip");
        ml.Model.Save(model, data.Schema, zip);
        using var loaded = (IINRTransformer)new MLContext().Model.Load(zip, out _);
        bool identical = model.RenderSignalImage(size, size).Data.SequenceEqual(loaded.RenderSignalImage(size, size).Data);
        Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length / 1024} KiB); reloaded model identical: {identical}");
        return (metrics, identical);
    }
}
