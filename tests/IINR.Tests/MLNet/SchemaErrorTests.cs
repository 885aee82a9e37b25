using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.IINR;
using static IINR.Tests.MLNet.MLNetTestData;

namespace IINR.Tests.MLNet;

/// <summary>Bad columns and bad values: ML.NET-style exceptions whose messages name the column, the expected type and what was found.</summary>
[TestClass]
public sealed class SchemaErrorTests
{
    private static readonly MLContext Ml = new(seed: 0);
    private static IINRTransformer s_model = null!; // 2-D coordinates, 3 channels

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static void FitOnce(TestContext _) => s_model = Ml.Transforms.IINR.Fit(Table(2, 3, 30), Options(iterations: 2, hiddenSize: 8));

    [ClassCleanup]
    public static void DisposeModel() => s_model?.Dispose();

    private ArgumentOutOfRangeException SchemaError(Action action, params string[] fragments)
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(action);
        TestContext.WriteLine(e.Message);
        Assert.AreEqual("inputSchema", e.ParamName);
        foreach (var fragment in fragments) StringAssert.Contains(e.Message, fragment);
        return e;
    }

    [TestMethod]
    public void MissingColumnIsNamed()
    {
        var data = Ml.Data.LoadFromEnumerable(Points()); // X, Y, Signal: no Coordinates
        var estimator = Ml.Transforms.IINR.Trainer(Options());
        SchemaError(() => estimator.Fit(data), "Column 'Coordinates' not found", "Vector<Single, 1..3>", "'X' (Single)");
        SchemaError(() => estimator.GetOutputSchema(ShapeOf(data.Schema)), "Column 'Coordinates' not found");
        SchemaError(() => s_model.Transform(data), "Column 'Coordinates' not found", "Vector<Single, 2>");
        SchemaError(() => s_model.GetOutputSchema(data.Schema), "Column 'Coordinates' not found");
        SchemaError(() => s_model.GetRowToRowMapper(data.Schema), "Column 'Coordinates' not found");

        var noSignal = Ml.Data.LoadFromEnumerable(Queries());
        var options = Options();
        options.CoordinatesColumnName = "X";
        SchemaError(() => Ml.Transforms.IINR.Fit(noSignal, options), "Column 'X' must be Vector<Single, 1..3>, found Single");
    }

    [TestMethod]
    public void WrongItemTypeIsNamed()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new DoubleRow { Coordinates = [0.1, 0.2], Signal = [0f, 0f, 0f] } });
        var estimator = Ml.Transforms.IINR.Trainer(Options());
        SchemaError(() => estimator.Fit(data), "Column 'Coordinates' must be Vector<Single, 1..3>, found Vector<Double, 2>");
        SchemaError(() => estimator.GetOutputSchema(ShapeOf(data.Schema)), "Column 'Coordinates' must be Vector<Single, 1..3>, found Vector<Double>");
        SchemaError(() => s_model.Transform(data), "Column 'Coordinates' must be Vector<Single, 2>, found Vector<Double, 2>");
    }

    [TestMethod]
    public void FourDimensionalCoordinatesAreRefused()
    {
        SchemaError(() => Ml.Transforms.IINR.Fit(Table(4, 3, 10), Options()), "Column 'Coordinates' must be Vector<Single, 1..3>, found Vector<Single, 4>");
    }

    [TestMethod]
    public void VariableSizeVectorsAreRefused()
    {
        var data = Ml.Data.LoadFromEnumerable(new[] { new VariableRow { Coordinates = [0.1f, 0.2f], Signal = [0f, 0f, 0f] } });
        SchemaError(() => Ml.Transforms.IINR.Fit(data, Options()), "Column 'Coordinates' must be Vector<Single, 1..3>, found Vector<Single>");
        SchemaError(() => Ml.Transforms.IINR.Trainer(Options()).GetOutputSchema(ShapeOf(data.Schema)), "found Vector<Single> of variable size");
    }

    [TestMethod]
    public void TooManySignalChannelsAreRefused()
    {
        SchemaError(() => Ml.Transforms.IINR.Fit(Table(2, 65, 4), Options()), "Column 'Signal' must be Vector<Single, 1..64>, found Vector<Single, 65>");
    }

    [TestMethod]
    public void TransformChecksTheTrainedSizes()
    {
        SchemaError(() => s_model.Transform(Table(3, 3, 5)),
            "Column 'Coordinates' must be Vector<Single, 2>, found Vector<Single, 3> (the model was fitted to 2-D coordinates)");
        SchemaError(() => s_model.Transform(Table(2, 1, 5)),
            "Column 'Signal' must be Vector<Single, 3>, found Vector<Single, 1> (the model was fitted to a signal of 3 channels)");
        SchemaError(() => Ml.Model.CreatePredictionEngine<VariableRow, Reconstructed>(s_model, new PredictionEngineOptions { OwnsTransformer = false }), "Column 'Coordinates' must be Vector<Single, 2>");
        // Without a signal column the model is simply queried.
        Assert.HasCount(5, ReadVectors(s_model.Transform(Table(2, 3, 5)), "Reconstruction"));
    }

    [TestMethod]
    public void NaNInTrainingDataNamesColumnAndRow()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(Table(2, 3, 10, (row, k) => row == 7 && k == 1 ? float.NaN : 0.5f), Options()));
        TestContext.WriteLine(e.Message);
        StringAssert.Contains(e.Message, "Column 'Signal' row 7 element 1 is NaN");

        e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(Table(2, 3, 10, coordinate: (row, k) => row == 4 ? float.PositiveInfinity : 0f), Options()));
        StringAssert.Contains(e.Message, "Column 'Coordinates' row 4 element 0 is Infinity");
    }

    [TestMethod]
    public void NaNAtTransformNamesColumnAndRow()
    {
        var view = s_model.Transform(Table(2, 3, 9000, coordinate: (row, k) => row == 8500 && k == 1 ? float.NaN : 0.25f));
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => ReadVectors(view, "Reconstruction"));
        TestContext.WriteLine(e.Message);
        StringAssert.Contains(e.Message, "Column 'Coordinates' row 8500 element 1 is NaN");

        using var engine = Ml.Model.CreatePredictionEngine<CoordinatesRow, Reconstructed>(s_model, new PredictionEngineOptions { OwnsTransformer = false });
        e = Assert.ThrowsExactly<InvalidOperationException>(() => engine.Predict(new CoordinatesRow { Coordinates = [float.NaN, 0] }));
        StringAssert.Contains(e.Message, "Column 'Coordinates' row");
        StringAssert.Contains(e.Message, "element 0 is NaN");
    }

    [TestMethod]
    public void CoordinatesOutsideTheUnitRangeAndEmptyDataAreRefusedWhenFitting()
    {
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(Table(2, 3, 10, coordinate: (row, k) => row == 3 && k == 1 ? 17f : 0f), Options()));
        StringAssert.Contains(e.Message, "Column 'Coordinates' row 3 element 1 is 17: coordinates must lie in [-1, 1]");

        e = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Transforms.IINR.Fit(Table(2, 3, 0), Options()));
        StringAssert.Contains(e.Message, "no rows");
    }

    [TestMethod]
    public void InvalidOptionsAreNamedWhenTheEstimatorIsCreated()
    {
        var options = Options();
        options.Model = options.Model with { HiddenSize = 0 };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.IINR.Trainer(options));
        Assert.AreEqual("HiddenSize", e.ParamName);

        options = Options();
        options.TrainingScale = 0;
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Transforms.IINR.Trainer(options));
        Assert.AreEqual("TrainingScale", e.ParamName);

        options = Options();
        options.SignalColumnName = "Coordinates";
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.IINR.Trainer(options));
        options.SignalColumnName = " ";
        Assert.ThrowsExactly<ArgumentException>(() => Ml.Transforms.IINR.Trainer(options));
    }

    // ---- data ----

    /// <summary>A table with Vector&lt;Single, d&gt; coordinates and Vector&lt;Single, c&gt; signal.</summary>
    internal static IDataView Table(int d, int c, int rows, Func<int, int, float>? signal = null, Func<int, int, float>? coordinate = null)
    {
        var definition = SchemaDefinition.Create(typeof(VariableRow));
        definition["Coordinates"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        definition["Signal"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, c);
        var data = Enumerable.Range(0, rows).Select(r => new VariableRow
        {
            Coordinates = Enumerable.Range(0, d).Select(k => coordinate?.Invoke(r, k) ?? ((r * 7 + k * 3) % 19 / 9.5f - 1f)).ToArray(),
            Signal = Enumerable.Range(0, c).Select(k => signal?.Invoke(r, k) ?? (r + k) % 5 / 5f).ToArray(),
        }).ToList();
        return Ml.Data.LoadFromEnumerable(data, definition);
    }

    public sealed class VariableRow
    {
        public float[] Coordinates { get; set; } = [];
        public float[] Signal { get; set; } = [];
    }

    public sealed class DoubleRow
    {
        [VectorType(2)]
        public double[] Coordinates { get; set; } = [];
        [VectorType(3)]
        public float[] Signal { get; set; } = [];
    }

    public sealed class CoordinatesRow
    {
        [VectorType(2)]
        public float[] Coordinates { get; set; } = [];
    }
}
