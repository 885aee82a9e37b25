using System.Diagnostics;
using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace IINR.Cli.Bench;

/// <summary>What the ML.NET surface costs over the core: the same model evaluated on the same grid through
/// <c>Transform</c> and an IDataView cursor, and through raw <see cref="IINRTransformer.Predict(ReadOnlySpan{float})"/>.</summary>
/// <param name="Rows">Coordinates per pass.</param>
/// <param name="RawSeconds">Median wall time of raw Predict.</param>
/// <param name="SurfaceSeconds">Median wall time of Transform + cursor.</param>
/// <param name="WallRatio">Median over interleaved pairs of surface / raw wall time.</param>
/// <param name="CpuRatio">Median over interleaved pairs of surface / raw process CPU time (steadier on a shared machine).</param>
/// <param name="ZipBytes">Size of the model saved with <c>mlContext.Model.Save</c>.</param>
/// <param name="Parameters">Trainable parameters of the model.</param>
/// <param name="MaxDifference">Largest difference between the two paths' outputs (batching may change the last bits).</param>
public sealed record SurfaceResult(int Rows, double RawSeconds, double SurfaceSeconds, double WallRatio, double CpuRatio, long ZipBytes,
    long Parameters, double MaxDifference);

/// <summary>Measures <see cref="SurfaceResult"/> for the default 3×256 I-SIREN.</summary>
public static class SurfaceBenchmark
{
    /// <summary>Times both paths <paramref name="runs"/> times, interleaved, on a <paramref name="grid"/>² image grid.</summary>
    public static SurfaceResult Run(int grid, InrOptions options, int runs)
    {
        var ml = new MLContext(seed: 0);
        // A few iterations are enough: the cost of evaluation does not depend on the weights.
        using var transformer = ml.Transforms.IINR.Fit(ml.Data.LoadFromImage(TestScene.Render(64, 64)), new IINROptions { Model = options with { Iterations = 3 } });
        var data = ml.Data.LoadFromImage(TestScene.Render(grid, grid));
        var coordinates = PixelGrid.Coordinates(grid, grid);
        int rows = grid * grid, channels = transformer.Channels;
        var raw = new float[rows * channels];
        var viaCursor = new float[rows * channels];

        (double Wall, double Cpu) Raw() => Measure(() => transformer.Predict(coordinates, raw));
        (double Wall, double Cpu) Surface() => Measure(() =>
        {
            var view = transformer.Transform(data);
            var column = view.Schema[transformer.OutputColumnName];
            using var cursor = view.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            int row = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                value.GetValues().CopyTo(viaCursor.AsSpan(channels * row++, channels));
            }
        });

        Raw(); Surface(); // warm up
        var pairs = new List<((double Wall, double Cpu) Raw, (double Wall, double Cpu) Surface)>();
        for (int i = 0; i < runs; i++) // interleaved: drifts in machine load hit both alike
            pairs.Add((Raw(), Surface()));

        double maxDifference = 0;
        for (int i = 0; i < raw.Length; i++) maxDifference = Math.Max(maxDifference, Math.Abs(raw[i] - viaCursor[i]));
        string zip = Path.Combine(Path.GetTempPath(), $"iinr-bench-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(transformer, transformer.GetInputSchema(), zip);
            return new SurfaceResult(rows, SpeedBenchmark.Median(pairs.Select(p => p.Raw.Wall)), SpeedBenchmark.Median(pairs.Select(p => p.Surface.Wall)),
                SpeedBenchmark.Median(pairs.Select(p => p.Surface.Wall / p.Raw.Wall)), SpeedBenchmark.Median(pairs.Select(p => p.Surface.Cpu / p.Raw.Cpu)),
                new FileInfo(zip).Length, transformer.BackboneParameterCount + transformer.HeadParameterCount, maxDifference);
        }
        finally
        {
            File.Delete(zip);
        }
    }

    static (double Wall, double Cpu) Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
