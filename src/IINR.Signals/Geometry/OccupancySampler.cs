using System.Numerics;

namespace IINR.Signals.Geometry;

/// <summary>
/// Draws points in [-1, 1]³ and labels them inside/outside a mesh by the generalised winding number
/// (<see cref="FastWindingNumber"/> &gt; 0.5, robust to small holes), in continuous space rather than
/// on a voxel grid. A model trained on such points learns the shape, not a grid's samples, and
/// scoring on points drawn independently of any training grid (<see cref="Uniform"/>, or a
/// <see cref="Grid"/> of another resolution) measures the shape it learnt. Training sets follow the
/// occupancy-network recipe (<see cref="Training"/>): a share of points uniform in the box, the rest
/// near the surface. The mesh should lie in [-1, 1]³ (<see cref="TriangleMesh.NormalizeToUnitCube"/>).
/// Same seed, same points, for any thread count. Thread-safe.
/// </summary>
public sealed class OccupancySampler
{
    /// <summary>Default share of training points drawn uniformly in the box (the rest lie near the surface).</summary>
    public const double DefaultUniformFraction = 0.5;

    /// <summary>Default standard deviation, per axis, of a near-surface point's offset from the surface
    /// (coordinates span 2 units: 0.02 is 1% of the box).</summary>
    public const double DefaultSurfaceSpread = 0.02;

    private readonly FastWindingNumber _winding;
    private readonly double[] _cumulativeArea;

    /// <summary>Prepares sampling for <paramref name="mesh"/>.</summary>
    /// <param name="mesh">Outward-oriented mesh in [-1, 1]³ with at least one triangle of non-zero area.</param>
    /// <param name="accuracy">β of <see cref="FastWindingNumber"/>.</param>
    /// <param name="maxDegreeOfParallelism">Thread limit for labelling; −1 for the runtime default.</param>
    public OccupancySampler(TriangleMesh mesh, double accuracy = FastWindingNumber.DefaultAccuracy, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 (runtime default) or a positive thread count.");
        Mesh = mesh;
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        _winding = new FastWindingNumber(mesh, accuracy);
        _cumulativeArea = new double[mesh.TriangleCount];
        double total = 0;
        for (int t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = Corners(t);
            total += 0.5 * Vector3.Cross(b - a, c - a).Length();
            _cumulativeArea[t] = total;
        }
        if (!(total > 0))
            throw new ArgumentException("The mesh has no triangle of non-zero area to sample near.", nameof(mesh));
    }

    /// <summary>The mesh the points are labelled against.</summary>
    public TriangleMesh Mesh { get; }

    /// <summary>Thread limit for labelling; −1 for the runtime default.</summary>
    public int MaxDegreeOfParallelism { get; }

    /// <summary>
    /// <paramref name="count"/> points uniform in [-1, 1]³, labelled. With 100,000 points and a seed not used for
    /// training, <see cref="OccupancySamples.IoU"/> on them is the volumetric IoU of occupancy-network papers.
    /// </summary>
    public OccupancySamples Uniform(int count, int seed)
    {
        CheckCount(count);
        var rng = new DeterministicRandom(Seed(seed, 1));
        var points = new float[checked(3 * count)];
        for (int i = 0; i < points.Length; i++) points[i] = (float)(2 * rng.NextDouble() - 1);
        return new OccupancySamples(points, Label(points));
    }

    /// <summary>
    /// <paramref name="count"/> points near the surface, labelled: a point drawn uniformly on the surface (by area),
    /// moved by a normal offset of standard deviation <paramref name="spread"/> per axis; offsets that would leave
    /// [-1, 1]³ are drawn again.
    /// </summary>
    public OccupancySamples NearSurface(int count, double spread, int seed)
    {
        CheckCount(count);
        if (!(spread >= 0 && spread <= 1))
            throw new ArgumentOutOfRangeException(nameof(spread), spread, "The spread must lie in [0, 1] (coordinates span [-1, 1]).");
        var rng = new DeterministicRandom(Seed(seed, 2));
        var points = new float[checked(3 * count)];
        for (int i = 0; i < count; i++)
        {
            var p = SurfacePoint(rng);
            Vector3 q;
            int tries = 0;
            do
            {
                q = p + new Vector3((float)(spread * rng.NextGaussian()), (float)(spread * rng.NextGaussian()), (float)(spread * rng.NextGaussian()));
            }
            while (++tries < 16 && !InBox(q));
            q = Vector3.Clamp(q, -Vector3.One, Vector3.One);
            points[3 * i] = q.X;
            points[3 * i + 1] = q.Y;
            points[3 * i + 2] = q.Z;
        }
        return new OccupancySamples(points, Label(points));
    }

    /// <summary>
    /// A training set: round(<paramref name="uniformFraction"/>·<paramref name="count"/>) points uniform in the box
    /// (<see cref="Uniform"/>), the rest near the surface (<see cref="NearSurface"/>).
    /// </summary>
    public OccupancySamples Training(int count, int seed, double uniformFraction = DefaultUniformFraction, double spread = DefaultSurfaceSpread)
    {
        CheckCount(count);
        if (!(uniformFraction >= 0 && uniformFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(uniformFraction), uniformFraction, "The uniform fraction must lie in [0, 1].");
        int uniform = (int)Math.Round(uniformFraction * count);
        if (uniform == count) return Uniform(count, seed);
        if (uniform == 0) return NearSurface(count, spread, seed);
        return Uniform(uniform, seed).Concat(NearSurface(count - uniform, spread, seed));
    }

    /// <summary>The voxel centres of an R³ grid (<see cref="VoxelGrid"/> order), labelled: the grid protocol. A grid of
    /// another resolution than the training grid's (e.g. twice as fine) shares none of its points.</summary>
    public OccupancySamples Grid(int resolution)
    {
        if (resolution < 1 || resolution > OccupancyVolume.MaxSize)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"The resolution must lie in 1..{OccupancyVolume.MaxSize}.");
        var points = VoxelGrid.Coordinates(resolution, resolution, resolution);
        return new OccupancySamples(points, Label(points));
    }

    /// <summary>Occupancy (1 inside, 0 outside: winding number &gt; 0.5) of each point of N×3 <paramref name="coordinates"/>.</summary>
    public float[] Label(ReadOnlySpan<float> coordinates)
    {
        if (coordinates.Length % 3 != 0)
            throw new ArgumentException($"Coordinates come in (x, y, z) triples; got {coordinates.Length} values.", nameof(coordinates));
        int count = coordinates.Length / 3;
        var points = coordinates.ToArray();
        var labels = new float[count];
        const int block = 1024;
        Parallel.For(0, (count + block - 1) / block, new ParallelOptions { MaxDegreeOfParallelism = MaxDegreeOfParallelism }, b =>
        {
            for (int i = b * block, end = Math.Min(count, i + block); i < end; i++)
                labels[i] = _winding.Evaluate(new Vector3(points[3 * i], points[3 * i + 1], points[3 * i + 2])) > 0.5 ? 1f : 0f;
        });
        return labels;
    }

    private Vector3 SurfacePoint(DeterministicRandom rng)
    {
        double target = rng.NextDouble() * _cumulativeArea[^1];
        int t = Array.BinarySearch(_cumulativeArea, target);
        if (t < 0) t = ~t;
        t = Math.Min(t, _cumulativeArea.Length - 1);
        var (a, b, c) = Corners(t);
        float u = (float)rng.NextDouble(), v = (float)rng.NextDouble();
        if (u + v > 1) { u = 1 - u; v = 1 - v; }
        return a + u * (b - a) + v * (c - a);
    }

    private (Vector3 A, Vector3 B, Vector3 C) Corners(int triangle)
    {
        var (i, j, k) = Mesh.GetTriangle(triangle);
        var v = Mesh.Vertices;
        return (v[i], v[j], v[k]);
    }

    private static bool InBox(Vector3 q) => Math.Abs(q.X) <= 1 && Math.Abs(q.Y) <= 1 && Math.Abs(q.Z) <= 1;

    // Uniform and near-surface draws of one seed use different streams, so a training set's two parts are independent.
    private static ulong Seed(int seed, ulong stream) => ((ulong)(uint)seed << 8) ^ (stream * 0x9E3779B97F4A7C15UL);

    private static void CheckCount(int count)
    {
        if (count < 1 || count > 100_000_000)
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of points must lie in 1..100,000,000.");
    }
}
