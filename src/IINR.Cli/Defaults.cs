namespace IINR.Cli;

/// <summary>
/// The per-command defaults of the tool, chosen by measurement on a 2-core CPU (docs/CLI.md): short enough to
/// finish in about a minute or two on a 128×128 image, long enough for the iterative model to show its gain.
/// Every one can be overridden on the command line.
/// </summary>
internal static class Defaults
{
    public const string Backbone = "siren";
    public const int HiddenLayers = 3;
    public const int HiddenSize = 256;

    /// <summary>fit and the main job.</summary>
    public const int FitIterations = 300;
    /// <summary>superres (the network renders the 2× grid: four times the pixels of the input).</summary>
    public const int SuperResIterations = 300;
    /// <summary>superres: ω0 of SIREN and FINER. The 2× grid has four unknowns per observed pixel; a high ω0 fills
    /// them with high frequencies. Measured (64×64 area-downscaled TestScene, 4× against the 256×256 render, I-SIREN,
    /// 300 iterations; bicubic 16.89 dB): ω0 = 5 → 15.66, 10 → 16.83, 15 → 17.00, 20 → 16.89, 30 → 15.46 dB.</summary>
    public const double SuperResOmega0 = 15;
    /// <summary>denoise.</summary>
    public const int DenoiseIterations = 300;
    /// <summary>denoise: ω0 of SIREN and FINER. Lower frequencies keep the fit from reproducing the noise; measured on the
    /// 128×128 TestScene at τ = 30, σ = 2, 300 iterations, I-SIREN: ω0 = 5 → 17.9 dB, 10 → 20.5, 15 → 18.8, 20 → 17.2
    /// (noisy input 17.1 dB; docs/CLI.md).</summary>
    public const double DenoiseOmega0 = 10;
    /// <summary>denoise: ω0 of WIRE (not measured here: the WIRE baselines' denoising scripts use ω0 = 5, σ0 = 5).</summary>
    public const double DenoiseWireOmega0 = 5;
    /// <summary>denoise: s0 of WIRE and s of Gauss (the baselines' σ0 = 5; not measured here).</summary>
    public const double DenoiseSigma0 = 5;
    /// <summary>occupancy.</summary>
    public const int OccupancyIterations = 300;
    public const int OccupancyResolution = 64;
    public const int OccupancyHiddenSize = 256;

    /// <summary>The main job: two fits (plain and iterative) of a 3×256 network on 128×128 in a few minutes on 2 cores.</summary>
    public const int MainJobIterations = 250;
    /// <summary>The main job's image size (the TestScene is rendered at this size).</summary>
    public const int MainJobSize = 128;
    public const string MainJobOutput = "iinr-output";

    public const string DefaultImage = "builtin:testscene:128";
    public const string DefaultMesh = "builtin:torusknot";
}
