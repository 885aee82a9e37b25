using IINR.Signals.Geometry;

namespace Microsoft.ML.IINR;

/// <summary>What an occupancy model is trained on (<see cref="OccupancyFitOptions.TrainingPoints"/>).</summary>
public enum OccupancyTrainingPoints
{
    /// <summary>Points in continuous space: a share uniform in [−1, 1]³, the rest near the surface, labelled by the
    /// generalised winding number (<see cref="OccupancySampler.Training"/>). The model learns the shape.</summary>
    Sampled,

    /// <summary>The voxel centres of the <see cref="OccupancyFitOptions.Resolution"/>³ grid: the paper's protocol. The model
    /// can reach IoU 1 on that grid while missing the shape between its voxel centres.</summary>
    Grid,
}

/// <summary>
/// How <see cref="IINRCatalog.FitOccupancy(TriangleMesh, IINROptions?, OccupancyFitOptions?)"/> samples a mesh for
/// training and scores the fit. The defaults follow the occupancy-network protocol; the evidence for each value is in
/// docs/DEFAULTS.md. <see cref="Validate"/> throws an <see cref="ArgumentException"/> whose
/// <see cref="ArgumentException.ParamName"/> is the option's name.
/// </summary>
public sealed class OccupancyFitOptions
{
    /// <summary>Default <see cref="Resolution"/>.</summary>
    public const int DefaultResolution = 32;

    /// <summary>Default <see cref="PointCount"/>.</summary>
    public const int DefaultPointCount = 500_000;

    /// <summary>Default <see cref="SurfaceSpread"/> (coordinates span 2 units: 0.005 is 0.25% of the box).</summary>
    public const double DefaultSurfaceSpread = 0.005;

    /// <summary>Default <see cref="TestPointCount"/>: the 100k uniform points of occupancy-network papers.</summary>
    public const int DefaultTestPointCount = 100_000;

    /// <summary>Largest <see cref="Resolution"/>: the 2R³ scoring grid must fit a volume (512³).</summary>
    public const int MaxResolution = 256;

    /// <summary>Training on sampled points (default) or on the voxel grid.</summary>
    public OccupancyTrainingPoints TrainingPoints { get; set; } = OccupancyTrainingPoints.Sampled;

    /// <summary>R: the R³ grid that <see cref="IINROccupancyResult.Metrics"/>, <see cref="IINROccupancyResult.Field"/> and
    /// <see cref="IINROccupancyResult.Surface"/> use (and the training grid with <see cref="OccupancyTrainingPoints.Grid"/>);
    /// the fit is also scored on the 2R³ grid. 2 to <see cref="MaxResolution"/>; default 32.</summary>
    public int Resolution { get; set; } = DefaultResolution;

    /// <summary>Training points with <see cref="OccupancyTrainingPoints.Sampled"/>; default 500,000.</summary>
    public int PointCount { get; set; } = DefaultPointCount;

    /// <summary>Share of the training points drawn uniformly in the box (the rest lie near the surface), in [0, 1]; default 0.5.</summary>
    public double UniformFraction { get; set; } = OccupancySampler.DefaultUniformFraction;

    /// <summary>Standard deviation per axis of a near-surface point's offset from the surface, in (0, 1]; default 0.005.</summary>
    public double SurfaceSpread { get; set; } = DefaultSurfaceSpread;

    /// <summary>Points drawn uniformly in the box, independently of the training points, to score the fit off any grid
    /// (<see cref="IINROccupancyResult.UniformMetrics"/>); default 100,000.</summary>
    public int TestPointCount { get; set; } = DefaultTestPointCount;

    /// <summary>Seed of the training points; the test points use another seed derived from it. Default 0.</summary>
    public int SamplingSeed { get; set; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(TrainingPoints))
            throw new ArgumentOutOfRangeException(nameof(TrainingPoints), TrainingPoints, "TrainingPoints must be Sampled or Grid.");
        if (Resolution is < 2 or > MaxResolution)
            throw new ArgumentOutOfRangeException(nameof(Resolution), Resolution, $"Resolution must be between 2 and {MaxResolution}; got {Resolution}.");
        if (PointCount is < 1 or > 100_000_000)
            throw new ArgumentOutOfRangeException(nameof(PointCount), PointCount, $"PointCount must be between 1 and 100,000,000; got {PointCount}.");
        if (!(UniformFraction is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(UniformFraction), UniformFraction, $"UniformFraction must lie in [0, 1]; got {UniformFraction}.");
        if (!(SurfaceSpread is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(SurfaceSpread), SurfaceSpread, $"SurfaceSpread must lie in (0, 1] (coordinates span [−1, 1]); got {SurfaceSpread}.");
        if (TestPointCount is < 1 or > 100_000_000)
            throw new ArgumentOutOfRangeException(nameof(TestPointCount), TestPointCount, $"TestPointCount must be between 1 and 100,000,000; got {TestPointCount}.");
    }

    /// <summary>A copy, so that later changes by the caller do not affect a fit.</summary>
    internal OccupancyFitOptions Clone() => (OccupancyFitOptions)MemberwiseClone();
}
