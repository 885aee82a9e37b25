using TorchSharp;
using static TorchSharp.torch;

namespace IINR.Trainers;

/// <summary>
/// A differentiable forward model A applied to the network's output before the loss: the network
/// renders values at <see cref="InputCount"/> coordinates, A maps them to the
/// <see cref="OutputCount"/> observed values, and training minimises ||A(f) − y||².
/// </summary>
public interface IMeasurementOperator
{
    /// <summary>Rows the network renders (the training coordinates).</summary>
    int InputCount { get; }

    /// <summary>Rows observed (the training signal).</summary>
    int OutputCount { get; }

    /// <summary>Splits the work into independent blocks of about <paramref name="maxInputRows"/> rendered
    /// rows: the observed rows of a block depend only on its rendered rows. Blocks cover both ranges in order.</summary>
    IReadOnlyList<MeasurementBlock> Blocks(int maxInputRows);

    /// <summary>A on one block: rendered rows (block.InputCount × C) → observed rows (block.OutputCount × C).</summary>
    Tensor Apply(Tensor rendered, MeasurementBlock block);

    /// <summary>A stand-in for the signal at the rendered coordinates (InputCount × C), built from the
    /// observations; it seeds the training state g̃_t, which lives on the rendered grid.</summary>
    Tensor Lift(Tensor observed);
}

/// <summary>A contiguous range of rendered rows and the range of observed rows that depends only on them.</summary>
public readonly record struct MeasurementBlock(int InputStart, int InputCount, int OutputStart, int OutputCount);

/// <summary>
/// Super-resolution's forward model: the network renders a (W·s)×(H·s) grid in row-major order and
/// A averages each s×s cell (area downscale) to the W×H observed grid.
/// </summary>
public sealed class AveragePoolOperator : IMeasurementOperator
{
    /// <summary>Creates the operator for an observed grid of <paramref name="width"/>×<paramref name="height"/> and an integer <paramref name="factor"/> ≥ 1.</summary>
    /// <param name="width">Observed width.</param>
    /// <param name="height">Observed height.</param>
    /// <param name="factor">Render factor s.</param>
    /// <param name="lift">How <see cref="Lift"/> fills the rendered grid for the training state. Default <see cref="LiftMode.Nearest"/>.</param>
    public AveragePoolOperator(int width, int height, int factor, LiftMode lift = LiftMode.Nearest)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be ≥ 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be ≥ 1.");
        if (factor < 1 || factor > 64) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be between 1 and 64.");
        if (!Enum.IsDefined(lift)) throw new ArgumentOutOfRangeException(nameof(lift), lift, $"Lift = {lift} is not one of: {string.Join(", ", Enum.GetNames<LiftMode>())}.");
        Width = width; Height = height; Factor = factor; LiftMode = lift;
    }

    /// <summary>How the observations are lifted to the rendered grid for the training state.</summary>
    public LiftMode LiftMode { get; }

    /// <summary>Observed width.</summary>
    public int Width { get; }
    /// <summary>Observed height.</summary>
    public int Height { get; }
    /// <summary>Render factor s.</summary>
    public int Factor { get; }

    /// <inheritdoc/>
    public int InputCount => checked(Width * Height * Factor * Factor);
    /// <inheritdoc/>
    public int OutputCount => Width * Height;

    /// <inheritdoc/>
    public IReadOnlyList<MeasurementBlock> Blocks(int maxInputRows)
    {
        int rowsPerBlock = Math.Max(1, maxInputRows / (Width * Factor * Factor));
        var list = new List<MeasurementBlock>();
        for (int r = 0; r < Height; r += rowsPerBlock)
        {
            int rows = Math.Min(rowsPerBlock, Height - r);
            list.Add(new MeasurementBlock(r * Width * Factor * Factor, rows * Width * Factor * Factor, r * Width, rows * Width));
        }
        return list;
    }

    /// <inheritdoc/>
    public Tensor Apply(Tensor rendered, MeasurementBlock block)
    {
        int rows = block.OutputCount / Width;
        long c = rendered.shape[1];
        using var img = rendered.reshape(1, rows * Factor, Width * Factor, c).permute(0, 3, 1, 2);
        using var pooled = nn.functional.avg_pool2d(img, Factor);
        return pooled.permute(0, 2, 3, 1).reshape(rows * Width, c);
    }

    /// <summary>Rendered rows per observed row of pixels (W·s²): the fused training step cuts its chunks at multiples of it.</summary>
    internal int RenderedRowsPerObservedRow => checked(Width * Factor * Factor);

    /// <summary>The loss through A on whole rows of observed pixels, for the fused training step: the rendered values of
    /// observed rows <paramref name="firstRow"/> … <paramref name="firstRow"/> + <paramref name="rows"/> − 1 (row-major,
    /// <paramref name="channels"/> per value) are replaced by their gradient, <paramref name="gradientScale"/>·(A f − y)/s²
    /// (Aᵀ spreads each residual evenly over its cell); returns Σ (A f − y)² over those rows.</summary>
    /// <param name="rendered">The rendered values of those rows (rows·W·s² × C); overwritten.</param>
    /// <param name="firstRow">The first observed row.</param>
    /// <param name="rows">How many observed rows.</param>
    /// <param name="channels">C.</param>
    /// <param name="observed">All the observations (W·H × C).</param>
    /// <param name="gradientScale">d loss / d (A f − y) per unit residual (2 / (W·H·C) for the mean squared error).</param>
    internal unsafe double Residual(float* rendered, int firstRow, int rows, int channels, float* observed, float gradientScale)
    {
        int s = Factor, renderedWidth = Width * s, c = channels;
        float cell = s * s;
        double loss = 0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < Width; j++)
            {
                float* y = observed + ((long)(firstRow + i) * Width + j) * c;
                float* corner = rendered + ((long)i * s * renderedWidth + (long)j * s) * c;
                for (int k = 0; k < c; k++)
                {
                    float sum = 0;
                    for (int a = 0; a < s; a++)
                        for (int b = 0; b < s; b++) sum += corner[((long)a * renderedWidth + b) * c + k];
                    float e = sum / cell - y[k];
                    loss += (double)e * e;
                    float g = gradientScale * e / cell;
                    for (int a = 0; a < s; a++)
                        for (int b = 0; b < s; b++) corner[((long)a * renderedWidth + b) * c + k] = g;
                }
            }
        return loss;
    }

    /// <inheritdoc/>
    public Tensor Lift(Tensor observed)
    {
        long c = observed.shape[1];
        if (LiftMode == LiftMode.Bicubic)
        {
            using var scope = NewDisposeScope();
            var wy = BicubicMatrix(Height, observed.device);
            var wx = BicubicMatrix(Width, observed.device);
            var img = observed.reshape(Height, Width, c);
            return torch.einsum("xw,ywc->yxc", wx, torch.einsum("yh,hwc->ywc", wy, img)).reshape(InputCount, c).MoveToOuterDisposeScope();
        }
        using var blocks = observed.reshape(Height, 1, Width, 1, c);
        return blocks.expand(Height, Factor, Width, Factor, c).reshape(InputCount, c);
    }

    // The (n·s)×n matrix of a pixel-centre aligned Keys bicubic upsample (a = −0.5, clamped borders): the
    // same kernel as IINR.Signals.Resampling.ResizeBicubic.
    Tensor BicubicMatrix(int n, Device device)
    {
        int m = n * Factor;
        var w = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            double s = (i + 0.5) / Factor - 0.5, f = Math.Floor(s), t = s - f;
            for (int k = 0; k < 4; k++)
                w[i * n + Math.Clamp((int)f - 1 + k, 0, n - 1)] += (float)Keys(t - (k - 1));
        }
        return TensorIO.FromSpan(w, m, n, device);
    }

    static double Keys(double d)
    {
        const double a = -0.5;
        d = Math.Abs(d);
        if (d <= 1) return ((a + 2) * d - (a + 3)) * d * d + 1;
        if (d < 2) return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        return 0;
    }
}

/// <summary>How <see cref="AveragePoolOperator.Lift"/> spreads the observations over the rendered grid
/// (the stand-in for the unknown signal in the training state g̃_t).</summary>
public enum LiftMode
{
    /// <summary>Each observed value repeated over its s×s cell (blocky).</summary>
    Nearest = 0,
    /// <summary>Keys bicubic interpolation (a = −0.5, pixel-centre aligned): smooth, like what inference feeds the heads.</summary>
    Bicubic = 1,
}
