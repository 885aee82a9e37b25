using IINR.Trainers.Backbones;

namespace IINR.Trainers;

/// <summary>
/// The hyperparameters each task starts from, per backbone: image fitting, super-resolution,
/// denoising and 3D occupancy. This file is the one table of task defaults: the ML.NET presets
/// (<c>IINROptions.ForFitting</c> and its siblings), the <c>iinr</c> commands, the benchmark and the
/// examples all start here. Every value was chosen by measurement on a 2-core CPU budget (about 300
/// iterations); the evidence is in docs/DEFAULTS.md and docs/CLI.md. Anything not listed keeps the
/// <see cref="InrOptions"/> default.
/// </summary>
public static class TaskPresets
{
    // ---- the table: per-task values (change numbers here; docs/DEFAULTS.md holds the evidence) ----

    const int FittingIterations = 300;

    const int SuperResolutionIterations = 300;
    // A lower ω0 than for fitting: the rendered grid has s² unknowns per observed pixel, which a high ω0 fills with high frequencies.
    const double SuperResolutionSineOmega0 = 15; // SIREN, FINER

    const int DenoisingIterations = 300;
    // Lower frequencies keep the fit from reproducing the noise.
    const double DenoisingSineOmega0 = 10; // SIREN, FINER
    const double DenoisingWireOmega0 = 5;  // the WIRE baselines' denoising scripts
    const double DenoisingScale = 5;       // WIRE s0, Gauss s: the baselines' σ0

    const int OccupancyIterations = 300;
    const int OccupancyBatchSize = 16384;   // random coordinate batches: an R³ grid or 100k sampled points are large
    // Lower than SIREN's 30: off the training points a high ω0 puts ripples between them.
    const double OccupancySineOmega0 = 15;  // SIREN
    const double OccupancyGaussScale = 5;   // Gauss s: 10 leaves the surface blurred
    const double OccupancyGaussLearningRate = 5e-3;
    // WIRE: its own occupancy settings (ω0 = 10, s0 = 40) fit the training points but not the space between them;
    // a wider envelope (s0 = 5) with a matching ω0 generalises. The learning rate and its decay are WIRE's.
    const double OccupancyWireOmega0 = 5;
    const double OccupancyWireScale = 5;
    const double OccupancyWireLearningRate = 5e-3;
    const double OccupancyWireFinalLearningRateFactor = 0.2;

    /// <summary>Super-resolution's training scale s: the network renders the observed image's frame on the
    /// s× grid, and the s×s averages are fitted to the observed pixels (the paper's 2).</summary>
    public const int SuperResolutionTrainingScale = 2;

    /// <summary>Denoising with automatic steps: the fraction of the pixels held out from training to choose the steps.</summary>
    public const double DenoisingHoldOutFraction = 0.05;

    /// <summary>Denoising with automatic steps: the largest step count tried (1 to this).</summary>
    public const int DenoisingMaxSteps = 8;

    // ---- the presets ----

    /// <summary>Fitting a signal on its own sample grid (an image on its pixels).</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Fitting(BackboneKind backbone = BackboneKind.Siren) =>
        new() { Backbone = backbone, Iterations = FittingIterations };

    /// <summary>Super-resolution through the area-average forward model at <see cref="SuperResolutionTrainingScale"/>:
    /// SIREN and FINER use a lower ω0 than for fitting; the other backbones keep their defaults.</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions SuperResolution(BackboneKind backbone = BackboneKind.Siren) => new()
    {
        Backbone = backbone,
        Iterations = SuperResolutionIterations,
        Omega0 = backbone is BackboneKind.Siren or BackboneKind.Finer ? SuperResolutionSineOmega0 : null,
    };

    /// <summary>Denoising by fitting the noisy image: lower frequencies (ω0 of SIREN, FINER and WIRE) and a
    /// narrower WIRE/Gauss scale, so the fit does not reproduce the noise.</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Denoising(BackboneKind backbone = BackboneKind.Siren) => new()
    {
        Backbone = backbone,
        Iterations = DenoisingIterations,
        Omega0 = backbone switch
        {
            BackboneKind.Siren or BackboneKind.Finer => DenoisingSineOmega0,
            BackboneKind.Wire => DenoisingWireOmega0,
            _ => null,
        },
        Scale = backbone is BackboneKind.Wire or BackboneKind.Gauss ? DenoisingScale : null,
    };

    /// <summary>3D occupancy (D = 3, C = 1) on points sampled in continuous space or on a voxel grid: random coordinate
    /// batches (a set with fewer points than a batch trains full-batch); a lower ω0 for SIREN, a narrower scale with
    /// a higher learning rate for Gauss, and a wider envelope with a lower ω0 for WIRE, which generalise better between
    /// the training points.</summary>
    /// <param name="backbone">The backbone.</param>
    public static InrOptions Occupancy(BackboneKind backbone = BackboneKind.Siren)
    {
        var options = new InrOptions
        {
            Backbone = backbone,
            Iterations = OccupancyIterations,
            BatchSize = OccupancyBatchSize,
            Omega0 = backbone switch
            {
                BackboneKind.Siren => OccupancySineOmega0,
                BackboneKind.Wire => OccupancyWireOmega0,
                _ => null,
            },
            Scale = backbone switch
            {
                BackboneKind.Gauss => OccupancyGaussScale,
                BackboneKind.Wire => OccupancyWireScale,
                _ => null,
            },
            LearningRate = backbone switch
            {
                BackboneKind.Gauss => OccupancyGaussLearningRate,
                BackboneKind.Wire => OccupancyWireLearningRate,
                _ => null,
            },
        };
        return backbone is BackboneKind.Wire ? options with { FinalLearningRateFactor = OccupancyWireFinalLearningRateFactor } : options;
    }
}
