using IINR.Signals;
using IINR.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;

namespace IINR.Tests.MLNet;

/// <summary>Tiny data and options for the ML.NET surface tests (2 threads, CPU, narrow networks).</summary>
internal static class MLNetTestData
{
    /// <summary>Small, fast options: CPU, 2 threads, 2 hidden layers of <paramref name="hiddenSize"/>.</summary>
    public static IINROptions Options(int iterations = 30, int hiddenSize = 32) => new() { Model = Model(iterations, hiddenSize) };

    /// <summary>The model options of <see cref="Options"/>.</summary>
    public static InrOptions Model(int iterations = 30, int hiddenSize = 32) => new()
    {
        Device = ComputeDevice.Cpu,
        Threads = 2,
        HiddenLayers = 2,
        HiddenSize = hiddenSize,
        Iterations = iterations,
    };

    /// <summary>The generated test scene at <paramref name="size"/>² (RGB).</summary>
    public static SignalImage Scene(int size = 24) => TestScene.Render(size, size);

    /// <summary>Rows of points with separate X, Y and an RGB signal (for Concatenate chains).</summary>
    public static IEnumerable<Point> Points(int count = 40) => Enumerable.Range(0, count).Select(i => new Point
    {
        X = (i % 8) / 4f - 0.875f,
        Y = (i / 8) / 2.5f - 0.8f,
        Signal = [0.5f + 0.4f * MathF.Sin(i), 0.5f + 0.4f * MathF.Cos(0.7f * i), (i % 5) / 5f],
    });

    /// <summary>Rows of points without a signal (what a model is queried with).</summary>
    public static IEnumerable<XY> Queries(int count = 40) => Points(count).Select(p => new XY { X = p.X * 0.9f, Y = p.Y * 0.95f + 0.01f });

    /// <summary>The SchemaShape ML.NET's pipelines give estimators (SchemaShape.Create is internal to ML.NET).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [schema])!;

    /// <summary>Every value of a vector column, row by row.</summary>
    public static List<float[]> ReadVectors(IDataView view, string columnName)
    {
        var column = view.Schema[columnName];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows;
    }

    /// <summary>A vector column flattened row-major.</summary>
    public static float[] ReadFlat(IDataView view, string columnName) => ReadVectors(view, columnName).SelectMany(v => v).ToArray();

    public static void AssertBitIdentical(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        Assert.HasCount(expected.Count, actual);
        for (int i = 0; i < expected.Count; i++)
            CollectionAssert.AreEqual(expected[i], actual[i], $"row {i}");
    }

    public static double Psnr(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (double)(a[i] - b[i]);
        return 10 * Math.Log10(a.Length / sum);
    }

    public sealed class Point
    {
        public float X { get; set; }
        public float Y { get; set; }
        [VectorType(3)]
        public float[] Signal { get; set; } = [];
    }

    public sealed class XY
    {
        public float X { get; set; }
        public float Y { get; set; }
    }

    public sealed class Reconstructed
    {
        [VectorType(3)]
        public float[] Reconstruction { get; set; } = [];
    }
}
