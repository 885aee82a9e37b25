// The console application that PackageConsumerTests builds outside the repository from the packed
// packages: the README's ML.NET snippet on a small PNG. The test copies this file as is and adds
// `return ConsumerProgram.Run(args);` as its entry point. It is compiled into IINR.Tests as well, so
// that a change of the public API breaks the test build here, where it has to be adapted.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.IINR;

public static class ConsumerProgram
{
    /// <summary>
    /// Arguments: a PNG, the number of iterations, and a folder for the model zip. Prints
    /// "psnr X" for the fitted model and "reloaded-psnr X" for the one loaded back from the zip.
    /// </summary>
    public static int Run(string[] args)
    {
        string imagePath = args[0], zipPath = Path.Combine(args[2], "model.zip");
        int iterations = int.Parse(args[1], CultureInfo.InvariantCulture);

        var ml = new MLContext(seed: 0);
        IDataView pixels = ml.Data.LoadFromImage(imagePath);
        using IINRTransformer model = ml.Transforms.IINR.Fit(pixels, new IINROptions { Iterations = iterations });
        IDataView scored = model.Transform(pixels);
        Console.WriteLine("psnr " + ml.Transforms.IINR.Evaluate(scored).Psnr.ToString("R", CultureInfo.InvariantCulture));

        ml.Model.Save(model, pixels.Schema, zipPath);
        using var loaded = (IINRTransformer)new MLContext(seed: 0).Model.Load(zipPath, out _);
        Console.WriteLine("reloaded-psnr " + ml.Transforms.IINR.Evaluate(loaded.Transform(pixels)).Psnr.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }
}
