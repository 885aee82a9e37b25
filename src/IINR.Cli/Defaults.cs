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
    // ω0 and scale defaults of superres and denoise live with their tasks: SuperResolutionOptions, DenoiseOptions.
    /// <summary>denoise.</summary>
    public const int DenoiseIterations = 300;
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
