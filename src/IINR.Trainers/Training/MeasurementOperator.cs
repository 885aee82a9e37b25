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
    public AveragePoolOperator(int width, int height, int factor)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be ≥ 1.");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be ≥ 1.");
        if (factor < 1 || factor > 64) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be between 1 and 64.");
        Width = width; Height = height; Factor = factor;
    }

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

    /// <inheritdoc/>
    public Tensor Lift(Tensor observed)
    {
        long c = observed.shape[1];
        using var img = observed.reshape(Height, 1, Width, 1, c);
        return img.expand(Height, Factor, Width, Factor, c).reshape(InputCount, c);
    }
}
