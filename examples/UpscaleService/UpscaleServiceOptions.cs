namespace UpscaleService;

/// <summary>The service's limits and the fit of each request; bound from the "Upscale" configuration section
/// (command line <c>--Upscale:MaxInputPixels=16384</c>, environment <c>Upscale__MaxInputPixels</c>, appsettings).</summary>
public sealed class UpscaleServiceOptions
{
    /// <summary>Largest upload, width × height of the input image; larger ones get 413. Default 128×128.</summary>
    public long MaxInputPixels { get; set; } = 128 * 128;

    /// <summary>Largest request body in bytes; larger ones get 413. Default 8 MiB.</summary>
    public long MaxUploadBytes { get; set; } = 8 << 20;

    /// <summary>Largest <c>scale</c> a request may ask for (integers from 2). Default 4.</summary>
    public int MaxScale { get; set; } = 4;

    /// <summary>Requests fitted at the same time. Default 1.</summary>
    public int ConcurrentFits { get; set; } = 1;

    /// <summary>Requests that may wait for a fit beyond those running; more get 503. Default 4.</summary>
    public int QueueLength { get; set; } = 4;

    /// <summary>Training iterations per image; 0 = the super-resolution preset's. Default 0.</summary>
    public int Iterations { get; set; }

    /// <summary>Width of the network's hidden layers; 0 = the preset's. Default 0.</summary>
    public int HiddenSize { get; set; }

    /// <summary>libtorch threads per fit; 0 = the processor count divided by <see cref="ConcurrentFits"/>. The same
    /// image, scale and thread count give the same pixels. Default 0.</summary>
    public int ThreadsPerFit { get; set; }

    /// <summary>Seed of every fit (mixed with each image's content). Default 0.</summary>
    public int Seed { get; set; }

    /// <summary>Checks every value; the message names the setting.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string expected)
        {
            if (!ok) throw new ArgumentOutOfRangeException(name, value, $"Upscale:{name} must be {expected}; got {value}.");
        }
        Check(MaxInputPixels >= 1, nameof(MaxInputPixels), MaxInputPixels, "at least 1");
        Check(MaxUploadBytes >= 1, nameof(MaxUploadBytes), MaxUploadBytes, "at least 1");
        Check(MaxScale is >= 2 and <= 16, nameof(MaxScale), MaxScale, "from 2 to 16");
        Check(ConcurrentFits is >= 1 and <= 64, nameof(ConcurrentFits), ConcurrentFits, "from 1 to 64");
        Check(QueueLength is >= 0 and <= 10_000, nameof(QueueLength), QueueLength, "from 0 to 10000");
        Check(Iterations >= 0, nameof(Iterations), Iterations, "0 (the preset's) or more");
        Check(HiddenSize >= 0, nameof(HiddenSize), HiddenSize, "0 (the preset's) or more");
        Check(ThreadsPerFit is >= 0 and <= 1024, nameof(ThreadsPerFit), ThreadsPerFit, "0 (automatic) to 1024");
    }
}
