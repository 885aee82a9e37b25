using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML.IINR;

namespace IINR.Cli.Tasks;

/// <summary>Helpers shared by the image tasks: training sets on the pixel grid, rendering, metrics.</summary>
public static class ImageInr
{
    /// <summary>The training set of an image on its own pixel grid (<see cref="PixelGrid"/>).</summary>
    public static TrainingSet TrainingSet(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new TrainingSet(PixelGrid.Coordinates(image.Width, image.Height), 2, image.Data, image.Channels);
    }

    /// <summary>Renders <paramref name="model"/> over <paramref name="frame"/> on a
    /// <paramref name="width"/>×<paramref name="height"/> grid; returns the raw (unclamped) image and the seconds it took.</summary>
    public static (SignalImage Image, double Seconds) Render(InrModel model, ImageFrame frame, int width, int height, int? steps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(frame);
        if (model.InputDims != 2)
            throw new ArgumentException($"The model takes {model.InputDims}-D coordinates; an image model takes 2.", nameof(model));
        var coordinates = frame.Coordinates(width, height);
        var clock = Stopwatch.StartNew();
        var values = model.Predict(coordinates, steps);
        double seconds = clock.Elapsed.TotalSeconds;
        return (new SignalImage(width, height, model.Channels, values), seconds);
    }

    /// <summary>A copy with every value clamped to [0, 1] (what an 8-bit PNG keeps; NaN becomes 0).</summary>
    public static SignalImage Clamp01(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var data = new float[image.Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            float v = image.Data[i];
            data[i] = float.IsNaN(v) ? 0f : Math.Clamp(v, 0f, 1f);
        }
        return new SignalImage(image.Width, image.Height, image.Channels, data);
    }

    /// <summary>PSNR (data range 1) of <paramref name="image"/> clamped to [0, 1] against <paramref name="reference"/>.</summary>
    public static double Psnr(SignalImage image, SignalImage reference) => ImageMetrics.Psnr(Clamp01(image), reference);

    /// <summary>SSIM (data range 1) of <paramref name="image"/> clamped to [0, 1] against <paramref name="reference"/>;
    /// NaN for images smaller than the 11×11 SSIM window.</summary>
    public static double Ssim(SignalImage image, SignalImage reference)
    {
        SignalImage.EnsureSameShape(image, reference, nameof(reference));
        if (image.Width < ImageMetrics.SsimWindowSize || image.Height < ImageMetrics.SsimWindowSize) return double.NaN;
        return ImageMetrics.Ssim(Clamp01(image), reference);
    }

    /// <summary>Fraction of the values outside [0, 1] (what an 8-bit PNG would clip).</summary>
    public static double OutOfRangeFraction(SignalImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        long n = 0;
        foreach (float v in image.Data) if (!(v >= 0f && v <= 1f)) n++;
        return (double)n / image.Data.Length;
    }

    /// <summary>Trainable parameters of a model: backbone plus heads.</summary>
    public static long ParameterCount(InrModel model) => model.BackboneParameterCount + model.HeadParameterCount;
}
