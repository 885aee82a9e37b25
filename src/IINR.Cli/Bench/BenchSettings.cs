using IINR.Trainers;
using IINR.Trainers.Backbones;
using IINR.Signals;
using Microsoft.ML.IINR;

namespace IINR.Cli.Bench;

/// <summary>What <c>iinr bench</c> runs and at which scale.</summary>
/// <param name="Suites">Suites to run, in order (fit, sr, denoise, occupancy, ablation, steps, speed, throughput, restoration, grid).</param>
/// <param name="ImagesDirectory">Images to use (PNG/JPEG/BMP, centre-cropped square and area-resized to <paramref name="Size"/>); null = the generated set.</param>
/// <param name="ImageCount">How many generated images (the scene and zoomed crops of it) when no directory is given.</param>
/// <param name="Size">Image side in pixels (the fit and ablation grid; super-resolution observes Size/4 and renders Size).</param>
/// <param name="Iterations">Training iterations of every fit.</param>
/// <param name="Seeds">Seeds per configuration (fit suite); with more than one, mean ± std and a paired sign test.</param>
/// <param name="HiddenLayers">Backbone hidden layers.</param>
/// <param name="HiddenSize">Backbone width.</param>
/// <param name="OccupancyResolution">R of the R³ occupancy grids.</param>
/// <param name="Meshes">Extra OBJ files for the occupancy suite.</param>
/// <param name="SpeedSizes">Image sides of the speed suite.</param>
/// <param name="SpeedIterations">Timed iterations per configuration of the speed suite.</param>
/// <param name="Threads">libtorch threads (null: libtorch's default).</param>
/// <param name="Device">Where to train.</param>
/// <param name="OutputDirectory">Where results.md and results.json go.</param>
/// <param name="Backbones">Backbones of the fit, sr, denoise and occupancy suites; null = every one (fit, sr) or the paper's three
/// (denoise, occupancy).</param>
public sealed record BenchSettings(
    IReadOnlyList<string> Suites,
    string? ImagesDirectory,
    int ImageCount,
    int Size,
    int Iterations,
    int Seeds,
    int HiddenLayers,
    int HiddenSize,
    int OccupancyResolution,
    IReadOnlyList<string> Meshes,
    IReadOnlyList<int> SpeedSizes,
    int SpeedIterations,
    int? Threads,
    ComputeDevice Device,
    string OutputDirectory,
    IReadOnlyList<BackboneKind>? Backbones = null)
{
    /// <summary>Every suite, in the order <c>--suite all</c> runs them.</summary>
    public static readonly string[] AllSuites = ["fit", "sr", "denoise", "occupancy", "ablation", "steps", "speed", "throughput", "restoration"];

    /// <summary>Suites that only run when named: the backbone × task grid re-runs fit, restoration and occupancy for
    /// every backbone, so <c>all</c> does not include it.</summary>
    public static readonly string[] NamedOnlySuites = ["grid"];

    /// <summary>The full preset: the scale of docs/RESULTS.md (two 128×128 images, 300 iterations, 3×128: about as many
    /// weights as signal values, the regime of the paper's Kodak runs; fit and sr took 48 min on 2 shared CPU cores, every suite about 1.5 h; docs/RESULTS.md runs the other suites at 64² with 3×64). docs/RESULTS.md explains
    /// why not 3×256 at this size: with several times more weights than values the plain backbone memorises the image.</summary>
    public static BenchSettings Full(IReadOnlyList<string> suites, string output) => new(suites, null, 2, 128, 300, 1, 3, 128, 48, [], [128, 256], 20, null, ComputeDevice.Auto, output);

    /// <summary>The quick preset: every suite in under 10 minutes on 2 CPU cores; checks the machinery, not the paper's claims.</summary>
    public static BenchSettings Quick(IReadOnlyList<string> suites, string output) => new(suites, null, 1, 48, 60, 1, 2, 64, 24, [], [64, 128], 5, null, ComputeDevice.Auto, output)
    {
        RestorationLowSides = [12], RestorationDenoiseSide = 32, RestorationTaus = [30], RestorationIterations = 30,
        OccupancyPoints = 10_000, ThroughputSizes = [12], ThroughputImages = 2, SpeedFitSize = 32, SpeedFitIterations = [12], SpeedBatchSizes = [32], SpeedBatchImages = 3, SpeedBatchIterations = 5, SpeedSuperResolutionSides = [8], SpeedSuperResolutionIterations = 5, SpeedWireSides = [8], SpeedWireIterations = 3, SpeedRepeats = 1, SpeedGemmSide = 1024,
    };

    /// <summary>When set, the fit suite sizes each image's backbone width to this many weights per signal value (the paper's
    /// Kodak regime is 0.23) instead of <see cref="HiddenSize"/>.</summary>
    public double? FitWeightsPerValue { get; init; }

    /// <summary>Which images of <see cref="ImagesDirectory"/> the suites use: "tuning" or "keptout"
    /// (<see cref="RestorationSet"/>'s split by file name), or null for every image.</summary>
    public string? ImageSet { get; init; }

    /// <summary>Observed sides of the restoration suite's 4× super-resolution (crops of 4× these sides).</summary>
    public IReadOnlyList<int> RestorationLowSides { get; init; } = [32, 64];

    /// <summary>Crop side of the restoration suite's denoising.</summary>
    public int RestorationDenoiseSide { get; init; } = 128;

    /// <summary>Photon levels τ of the restoration suite's denoising.</summary>
    public IReadOnlyList<double> RestorationTaus { get; init; } = [30, 100];

    /// <summary>Iterations of the restoration suite's fits; null = each task preset's own (the full run).</summary>
    public int? RestorationIterations { get; init; }

    /// <summary>Input sides of the throughput suite (super-resolution 4× through the CLI's folder mode).</summary>
    public IReadOnlyList<int> ThroughputSizes { get; init; } = [64, 128];

    /// <summary>Images per size in the throughput suite.</summary>
    public int ThroughputImages { get; init; } = 4;

    /// <summary>Thread counts of the speed suite: <see cref="Threads"/> when given, else 1 and 2 (1 on a single core).</summary>
    public IReadOnlyList<int> SpeedThreads => Threads is int t ? [t] : Environment.ProcessorCount >= 2 ? [1, 2] : [1];

    /// <summary>What the occupancy suite trains on: sampled points (default) or the R³ grid (the paper's protocol).</summary>
    public OccupancyTrainingPoints OccupancyTraining { get; init; } = OccupancyTrainingPoints.Sampled;

    /// <summary>Whether the occupancy suite trains each backbone at its task preset's network and iterations
    /// (<c>IINROptions.ForOccupancy</c>, as <c>iinr occupancy</c> does) rather than at this benchmark's: the full run
    /// unless --iterations, --hidden-layers or --hidden-size is given.</summary>
    public bool OccupancyAtPreset { get; init; }

    /// <summary>Whether the grid's fitting column runs at the paper's Kodak regime (<see cref="PaperRegimeSize"/>² crops,
    /// <see cref="PaperRegimeWeightsPerValue"/> backbone weights per value, <see cref="PaperRegimeIterations"/> iterations, 3 hidden
    /// layers) rather than at this benchmark's size and network: the full run unless --size, --iterations, --hidden-layers,
    /// --hidden-size or --weights-per-value is given.</summary>
    public bool GridFitAtPaperRegime { get; init; }

    /// <summary>Crop side of the grid's fitting column at the paper's regime.</summary>
    public const int PaperRegimeSize = 96;

    /// <summary>Backbone weights per signal value of the paper's Kodak runs (3×300 on 768×512×3).</summary>
    public const double PaperRegimeWeightsPerValue = 0.23;

    /// <summary>Iterations of the grid's fitting column at the paper's regime: the paper's 2,000.</summary>
    public const int PaperRegimeIterations = 2000;

    /// <summary>The settings of the grid's fitting column: this benchmark's, or the paper's regime when
    /// <see cref="GridFitAtPaperRegime"/>.</summary>
    public BenchSettings GridFitSettings() => GridFitAtPaperRegime
        ? this with { Size = PaperRegimeSize, FitWeightsPerValue = PaperRegimeWeightsPerValue, Iterations = PaperRegimeIterations, HiddenLayers = 3 }
        : this;

    /// <summary>Built-in shapes of the occupancy suite ("torus", "torusknot"), before the <see cref="Meshes"/>.</summary>
    public IReadOnlyList<string> OccupancyShapes { get; init; } = ["torus", "torusknot"];

    /// <summary>Occupancy training points per fit (the task's 500k; 10k with --quick); the uniform test points are as many, at most the
    /// occupancy-network protocol's 100k.</summary>
    public int OccupancyPoints { get; init; } = OccupancyFitOptions.DefaultPointCount;

    /// <summary>Image side of the speed suite's end-to-end comparison with PyTorch.</summary>
    public int SpeedFitSize { get; init; } = 256;

    /// <summary>Iteration counts of the end-to-end comparison.</summary>
    public IReadOnlyList<int> SpeedFitIterations { get; init; } = [30, 300];

    /// <summary>Image sides of the many-images-at-once comparison.</summary>
    public IReadOnlyList<int> SpeedBatchSizes { get; init; } = [64, 128];

    /// <summary>Images per many-images-at-once comparison.</summary>
    public int SpeedBatchImages { get; init; } = 8;

    /// <summary>Iterations per image in the many-images-at-once comparison.</summary>
    public int SpeedBatchIterations { get; init; } = 60;

    /// <summary>Observed image sides of the super-resolution fit comparison (fused vs autograd).</summary>
    public IReadOnlyList<int> SpeedSuperResolutionSides { get; init; } = [32, 64];

    /// <summary>Iterations per fit in the super-resolution comparison (the preset trains 600; the ratio does not depend on it).</summary>
    public int SpeedSuperResolutionIterations { get; init; } = 100;

    /// <summary>Image sides of the WIRE fit comparison (fused vs autograd).</summary>
    public IReadOnlyList<int> SpeedWireSides { get; init; } = [64, 128];

    /// <summary>Iterations per fit in the WIRE comparison.</summary>
    public int SpeedWireIterations { get; init; } = 30;

    /// <summary>Alternating repetitions of the end-to-end, many-images, super-resolution and WIRE comparisons.</summary>
    public int SpeedRepeats { get; init; } = 2;

    /// <summary>Side of the square matrices of the in-process GEMM reference.</summary>
    public int SpeedGemmSide { get; init; } = 2048;

    /// <summary>The options of a fit: the task's preset for <paramref name="backbone"/>, at this benchmark's scale (network
    /// size, iterations, seed, threads, device) and with one progress report at the end (the curve is not needed here).</summary>
    public IINROptions Options(Func<BackboneKind, IINROptions> preset, BackboneKind backbone = BackboneKind.Siren, int seed = 0)
    {
        var options = preset(backbone);
        options.Model = options.Model with
        {
            HiddenLayers = HiddenLayers,
            HiddenSize = HiddenSize,
            Iterations = Iterations,
            Seed = seed,
            Threads = Threads,
            Device = Device,
            ProgressInterval = Iterations,
        };
        return options;
    }
}
