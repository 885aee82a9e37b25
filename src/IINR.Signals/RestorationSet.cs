namespace IINR.Signals;

/// <summary>
/// A development set for restoration (super-resolution and denoising) built from real photographs:
/// deterministic square crops at fixed positions of each image, with their area-downscaled and
/// photon-noise versions. The photographs are split once into a tuning part (every choice of a
/// preset is made on it) and a kept-out part (used only to report), so reported numbers are on
/// images no setting was chosen on.
/// </summary>
/// <remarks>
/// Crop positions are fractions of the free range (width − size, height − size): the centre, then
/// (¼, ¼), (¾, ¾), (¾, ¼), (¼, ¾), rounded down to a multiple of 4 so that 2× and 4× downscales
/// align with the original pixels. Noise is <see cref="NoiseSimulator.AddPhotonNoise"/> with readout
/// σ = 2, seeded from the crop's name, the position and τ, so every run sees the same noisy images.
/// </remarks>
public static class RestorationSet
{
    /// <summary>The photographs (file names without extension) that settings are tuned on.</summary>
    public static IReadOnlyList<string> TuningImages { get; } =
        ["chelsea", "coffee", "rocket", "camera", "brick", "kodim01-grey", "kodim05-grey"];

    /// <summary>The photographs kept out of all tuning, used only to report.</summary>
    public static IReadOnlyList<string> KeptOutImages { get; } =
        ["astronaut", "hubble", "kodim02-grey", "kodim12-grey", "kodim20-grey", "kodim23-grey"];

    /// <summary>The most crop positions per image.</summary>
    public const int MaxPositions = 5;

    static readonly (double X, double Y)[] Positions = [(0.5, 0.5), (0.25, 0.25), (0.75, 0.75), (0.75, 0.25), (0.25, 0.75)];

    /// <summary>The first <paramref name="positions"/> crops of <paramref name="size"/>×<paramref name="size"/> pixels of one photograph.</summary>
    /// <param name="name">The photograph's name (it seeds the crops' noise).</param>
    /// <param name="image">The photograph.</param>
    /// <param name="size">Crop side in pixels, a positive multiple of 4 no larger than the image.</param>
    /// <param name="positions">How many of the fixed positions to take, 1 to <see cref="MaxPositions"/>.</param>
    public static IReadOnlyList<RestorationCrop> Crops(string name, SignalImage image, int size, int positions = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(image);
        if (size < 4 || size % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "The crop side must be a positive multiple of 4.");
        if (size > image.Width || size > image.Height)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A {size}×{size} crop does not fit in '{name}' ({image.Shape}).");
        if (positions < 1 || positions > MaxPositions)
            throw new ArgumentOutOfRangeException(nameof(positions), positions, $"Positions must be between 1 and {MaxPositions}.");
        var crops = new List<RestorationCrop>(positions);
        for (int p = 0; p < positions; p++)
        {
            int x = (int)(Positions[p].X * (image.Width - size)) / 4 * 4;
            int y = (int)(Positions[p].Y * (image.Height - size)) / 4 * 4;
            crops.Add(new RestorationCrop(name, x, y, Resampling.Crop(image, x, y, size, size)));
        }
        return crops;
    }
}

/// <summary>One crop of a development photograph and its degraded versions.</summary>
/// <param name="Image">The photograph's name.</param>
/// <param name="X">Left column of the crop in the photograph.</param>
/// <param name="Y">Top row of the crop in the photograph.</param>
/// <param name="Clean">The crop itself, the reference every restoration is measured against.</param>
public sealed record RestorationCrop(string Image, int X, int Y, SignalImage Clean)
{
    /// <summary>A name for tables: "image@x,y".</summary>
    public string Name => $"{Image}@{X},{Y}";

    /// <summary>The crop area-downscaled by <paramref name="factor"/> (each factor×factor block averaged).</summary>
    /// <param name="factor">2 or 4 in the development set; any divisor of the crop side works.</param>
    public SignalImage Downscaled(int factor) => Resampling.DownscaleArea(Clean, factor);

    /// <summary>The crop with photon noise y = (Poisson(τ·I) + σ·N(0, 1)) / τ, readout σ = 2, not clipped;
    /// the seed is derived from the crop and τ, so it is the same in every run.</summary>
    /// <param name="tau">Photons per unit intensity (30 and 100 in the development set).</param>
    public SignalImage Noisy(double tau) =>
        NoiseSimulator.AddPhotonNoise(Clean, tau, NoiseSimulator.DefaultReadoutSigma, NoiseSeed(tau));

    ulong NoiseSeed(double tau)
    {
        // FNV-1a over the name, the position and τ: stable across runs and platforms (string.GetHashCode is not).
        ulong h = 0xCBF29CE484222325UL;
        foreach (char ch in $"{Name}/{tau.ToString(System.Globalization.CultureInfo.InvariantCulture)}")
        {
            h ^= ch;
            h *= 0x100000001B3UL;
        }
        return h;
    }
}
