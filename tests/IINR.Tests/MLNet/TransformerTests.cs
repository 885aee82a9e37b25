using IINR.Signals;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>Fit → Transform through mlContext.Transforms.IINR: quality, laziness and batching, steps, PredictionEngine, threads, lifetime.</summary>
[TestClass]
public sealed class TransformerTests
{
    private const int Size = 24;
    // Measured on this CPU (2 threads, HiddenSize 64, 2 hidden layers, 200 iterations, seed 0, 24×24 scene):
    // PSNR 38.25 dB, SSIM 0.996 (the plain backbone with the same settings: 38.16 dB; the tiny scene is easy).
    private const double MinPsnr = 35.0;
    private const double MinSsim = 0.98;

    private static MLContext s_ml = null!;
    private static IDataView s_data = null!;
    private static IINRTransformer s_model = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void FitOnce(TestContext _)
    {
        s_ml = new MLContext(seed: 0);
        s_data = s_ml.Data.LoadFromImage(Scene(Size));
        s_model = s_ml.Transforms.IINR.Fit(s_data, Options(iterations: 200, hiddenSize: 64));
    }

    [ClassCleanup]
    public static void DisposeModel() => s_model?.Dispose();

    [TestMethod]
    public void FitThenTransformReconstructsTheImage()
    {
        var scored = s_model.Transform(s_data);
        var metrics = s_ml.Transforms.IINR.Evaluate(scored);
        TestContext.WriteLine($"I-SIREN 2×64, 200 iterations, {Size}×{Size}: {metrics}");
        Assert.IsGreaterThan(MinPsnr, metrics.Psnr, metrics.ToString());
        Assert.IsNotNull(metrics.Ssim);
        Assert.IsGreaterThan(MinSsim, metrics.Ssim.Value, metrics.ToString());
        Assert.AreEqual(Size * Size, metrics.Count);

        // The output schema: input columns (with their annotations) plus the reconstruction.
        var schema = scored.Schema;
        CollectionAssert.AreEqual(new[] { "Coordinates", "Signal", "Reconstruction" }, schema.Select(c => c.Name).ToArray());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 3), schema["Reconstruction"].Type);
        Assert.AreEqual(new ImageFrame(Size, Size, 3, 1, 1), s_model.Image);
        Assert.AreEqual((2, 3, 2), (s_model.CoordinateDimension, s_model.Channels, s_model.Steps));
        Assert.IsGreaterThan(0L, s_model.HeadParameterCount);
    }

    [TestMethod]
    public void PlainBackboneIsTheIterativeSwitchOff()
    {
        var options = Options(iterations: 200, hiddenSize: 64);
        options.Model = options.Model with { Iterative = false };
        using var plain = s_ml.Transforms.IINR.Fit(s_data, options);
        var metrics = s_ml.Transforms.IINR.Evaluate(plain.Transform(s_data));
        TestContext.WriteLine($"plain SIREN 2×64, 200 iterations: {metrics}");
        Assert.AreEqual(0L, plain.HeadParameterCount);
        Assert.AreEqual(s_model.BackboneParameterCount, plain.BackboneParameterCount);
        Assert.IsFalse(plain.ModelOptions.Iterative);
    }

    [TestMethod]
    public void TransformIsLazyAndEvaluatesInBatches()
    {
        const int rows = 20_000; // more than two batches of 8192
        var coordinates = new float[rows * 2];
        for (int i = 0; i < coordinates.Length; i++) coordinates[i] = (i * 0.618034f) % 2f - 1f;
        var counting = new CountingDataView(s_ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows)
            .Select(i => new CoordinatesOnly { Coordinates = [coordinates[2 * i], coordinates[2 * i + 1]] })));

        var view = s_model.Transform(counting);
        Assert.AreEqual(0, counting.RowsRead, "Transform reads nothing");

        var column = view.Schema["Reconstruction"];
        using (var cursor = view.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var value = default(VBuffer<float>);
            Assert.IsTrue(cursor.MoveNext());
            getter(ref value);
            // The look-ahead cursor read a whole batch of coordinates for the first row.
            Assert.AreEqual(1 + IINRTransformer.BatchRows, counting.RowsRead);
        }

        // Batched results equal the core's evaluation of the same coordinates in the same batches.
        var expected = new float[rows * 3];
        for (int start = 0; start < rows; start += IINRTransformer.BatchRows)
        {
            int n = Math.Min(IINRTransformer.BatchRows, rows - start);
            s_model.Predict(coordinates.AsSpan(start * 2, n * 2), expected.AsSpan(start * 3, n * 3));
        }
        CollectionAssert.AreEqual(expected, ReadFlat(view, "Reconstruction"));
    }

    [TestMethod]
    public void ShuffledInputGivesEachRowItsOwnReconstruction()
    {
        var shuffled = s_ml.Data.ShuffleRows(s_data, seed: 5);
        var scored = s_model.Transform(shuffled);
        var coordinates = ReadFlat(scored, "Coordinates");
        Assert.AreNotEqual(PixelGrid.Coordinates(Size, Size)[0], coordinates[0], "the rows were shuffled");
        var expected = s_model.Predict(coordinates);
        CollectionAssert.AreEqual(expected, ReadFlat(scored, "Reconstruction"));
    }

    [TestMethod]
    public void CursorsThatDisagreeAreAnErrorNotWrongOutput()
    {
        var view = s_model.Transform(new DisagreeingDataView(s_data));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ReadVectors(view, "Reconstruction"));
        StringAssert.Contains(e.Message, "gave two cursors different rows");
    }

    [TestMethod]
    public void PredictionEngineMatchesTransform()
    {
        var expected = ReadVectors(s_model.Transform(s_data), "Reconstruction");
        var coordinates = PixelGrid.Coordinates(Size, Size);
        // ML.NET's PredictionEngine disposes its transformer unless told otherwise; s_model is shared by the tests.
        using var engine = s_ml.Model.CreatePredictionEngine<CoordinatesOnly, Reconstructed>(s_model, new PredictionEngineOptions { OwnsTransformer = false });
        for (int i = 0; i < Size * Size; i += 37)
        {
            var output = engine.Predict(new CoordinatesOnly { Coordinates = [coordinates[2 * i], coordinates[2 * i + 1]] }).Reconstruction;
            for (int c = 0; c < 3; c++)
                Assert.AreEqual(expected[i][c], output[c], 1e-5f, $"pixel {i} channel {c}");
        }
    }

    [TestMethod]
    public void WithStepsSharesTheWeightsAndOnlyTheOwnerFreesThem()
    {
        using var original = s_ml.Transforms.IINR.Fit(s_data, Options(iterations: 20));
        var twoSteps = ReadFlat(original.Transform(s_data), "Reconstruction");

        var oneStep = original.WithSteps(1);
        var same = original.WithSteps(2);
        Assert.AreEqual(1, oneStep.Steps);
        CollectionAssert.AreEqual(twoSteps, ReadFlat(same.Transform(s_data), "Reconstruction"), "same weights, same steps");
        var one = ReadFlat(oneStep.Transform(s_data), "Reconstruction");
        CollectionAssert.AreNotEqual(twoSteps, one, "another number of steps gives another result");
        Assert.AreEqual(2, original.Steps, "the original is unchanged");

        // Disposing a view frees nothing: the owner and the other view keep working.
        var lazy = same.Transform(s_data);
        same.Dispose();
        same.Dispose(); // idempotent
        Assert.ThrowsExactly<ObjectDisposedException>(() => ReadFlat(lazy, "Reconstruction"), "a view of a disposed transformer");
        Assert.ThrowsExactly<ObjectDisposedException>(() => same.WithSteps(3));
        CollectionAssert.AreEqual(one, ReadFlat(oneStep.Transform(s_data), "Reconstruction"));
        CollectionAssert.AreEqual(twoSteps, ReadFlat(original.Transform(s_data), "Reconstruction"));
        using (var fromView = oneStep.WithSteps(2)) // a view of a view shares the owner's weights too
            CollectionAssert.AreEqual(twoSteps, ReadFlat(fromView.Transform(s_data), "Reconstruction"));

        // Disposing the owner frees the weights: its views stop working with a clear error.
        original.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => original.Transform(s_data));
        Assert.ThrowsExactly<ObjectDisposedException>(() => oneStep.Predict([0f, 0f]));
        oneStep.Dispose();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => s_model.WithSteps(0));
    }

    [TestMethod]
    public void APredictionEngineDisposesTheViewItIsGiven()
    {
        // By default a PredictionEngine disposes its transformer; given WithSteps(Steps), it disposes only that view.
        var view = s_model.WithSteps(s_model.Steps);
        using (var engine = s_ml.Model.CreatePredictionEngine<CoordinatesOnly, Reconstructed>(view))
            Assert.HasCount(3, engine.Predict(new CoordinatesOnly { Coordinates = [0.1f, -0.2f] }).Reconstruction);
        Assert.ThrowsExactly<ObjectDisposedException>(() => view.Predict([0f, 0f]));
        Assert.HasCount(3, s_model.Predict([0f, 0f]));
    }

    [TestMethod]
    public void TransformFromFourThreadsEqualsSerial()
    {
        var data = s_ml.Data.LoadFromImage(Scene(40)); // 1600 rows; several threads share one model
        var serial = ReadFlat(s_model.Transform(data), "Reconstruction");
        var results = new float[4][];
        using var start = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            results[t] = ReadFlat(s_model.Transform(data), "Reconstruction");
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        for (int t = 0; t < 4; t++)
            CollectionAssert.AreEqual(serial, results[t], $"thread {t}");
    }

    [TestMethod]
    public void ProgressIsReportedAndCancellationStopsFitting()
    {
        var reports = new List<global::IINR.Trainers.InrProgress>();
        var options = Options(iterations: 10);
        options.Model = options.Model with { ProgressInterval = 5 };
        options.Progress = new SynchronousProgress(reports.Add);
        using (s_ml.Transforms.IINR.Fit(s_data, options)) { }
        CollectionAssert.AreEqual(new[] { 5, 10 }, reports.Select(r => r.Iteration).ToArray());
        Assert.IsTrue(reports.All(r => r.Iterations == 10 && double.IsFinite(r.Psnr)));

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        options.Progress = null;
        options.CancellationToken = cancelled.Token;
        Assert.Throws<OperationCanceledException>(() => s_ml.Transforms.IINR.Fit(s_data, options));
    }

    [TestMethod]
    public void EstimatorCopiesItsOptionsAndDescribesItsOutput()
    {
        var options = Options(iterations: 3, hiddenSize: 8);
        var estimator = s_ml.Transforms.IINR.Trainer(options);
        options.OutputColumnName = "Changed";
        options.Model = options.Model with { HiddenSize = -1 }; // would be invalid; the estimator has its own copy

        var shape = estimator.GetOutputSchema(ShapeOf(s_data.Schema));
        Assert.IsTrue(shape.Any(c => c.Name == "Reconstruction"));
        var output = shape.Single(c => c.Name == "Reconstruction");
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, output.Kind);
        Assert.AreEqual(NumberDataViewType.Single, output.ItemType);
        Assert.IsFalse(shape.Any(c => c.Name == "Changed"));
        using var model = estimator.Fit(s_data);
        Assert.AreEqual(8, model.ModelOptions.HiddenSize);
        Assert.AreEqual("Reconstruction", model.OutputColumnName);
    }

    [TestMethod]
    public void OutputNamedLikeAnInputColumnHidesIt()
    {
        var options = Options(iterations: 2, hiddenSize: 8);
        options.OutputColumnName = "Signal";
        using var model = s_ml.Transforms.IINR.Fit(s_data, options);
        var scored = model.Transform(s_data);
        CollectionAssert.AreEqual(new[] { "Coordinates", "Signal" }, scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name).ToArray());
        Assert.IsTrue(scored.Schema.Any(c => c.IsHidden && c.Name == "Signal"));
        // "Signal" now reads the reconstruction.
        CollectionAssert.AreEqual(model.RenderSignalImage(Size, Size).Data, ReadFlat(scored, "Signal"));
    }

    [TestMethod]
    public void ChainDisposesItsTransformer()
    {
        var data = s_ml.Data.LoadFromEnumerable(Points());
        var chain = s_ml.Transforms.Concatenate("Coordinates", "X", "Y").Append(s_ml.Transforms.IINR.Trainer(Options(iterations: 2, hiddenSize: 8))).Fit(data);
        var model = chain.LastTransformer;
        chain.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => model.Predict([0f, 0f]));
    }

    // ---- helpers ----

    public sealed class CoordinatesOnly
    {
        [VectorType(2)]
        public float[] Coordinates { get; set; } = [];
    }

    private sealed class SynchronousProgress(Action<global::IINR.Trainers.InrProgress> report) : IProgress<global::IINR.Trainers.InrProgress>
    {
        public void Report(global::IINR.Trainers.InrProgress value) => report(value);
    }

    /// <summary>Every other cursor skips the first row: the look-ahead cursor and the main cursor see different rows.</summary>
    private sealed class DisagreeingDataView(IDataView inner) : IDataView
    {
        private int _cursors;
        public bool CanShuffle => false;
        public DataViewSchema Schema => inner.Schema;
        public long? GetRowCount() => null;
        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var cursor = inner.GetRowCursor(columnsNeeded, rand);
            if (Interlocked.Increment(ref _cursors) % 2 == 0) cursor.MoveNext();
            return cursor;
        }
        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }

    /// <summary>Counts the rows its cursors move over.</summary>
    private sealed class CountingDataView(IDataView inner) : IDataView
    {
        private int _rowsRead;
        public int RowsRead => _rowsRead;
        public bool CanShuffle => false;
        public DataViewSchema Schema => inner.Schema;
        public long? GetRowCount() => inner.GetRowCount();
        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new Cursor(this, inner.GetRowCursor(columnsNeeded, rand));
        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];

        private sealed class Cursor(CountingDataView parent, DataViewRowCursor input) : DataViewRowCursor
        {
            public override DataViewSchema Schema => input.Schema;
            public override long Position => input.Position;
            public override long Batch => input.Batch;
            public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
            public override bool IsColumnActive(DataViewSchema.Column column) => input.IsColumnActive(column);
            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => input.GetGetter<TValue>(column);
            public override bool MoveNext()
            {
                bool good = input.MoveNext();
                if (good) Interlocked.Increment(ref parent._rowsRead);
                return good;
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing) input.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
