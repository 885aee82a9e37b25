using System.Reflection;
using IINR.Trainers;
using Microsoft.ML.IINR;

namespace IINR.Tests.MLNet;

/// <summary>IINROptions mirrors the core's InrOptions: same properties, same defaults, every value passed on.</summary>
[TestClass]
public sealed class OptionsTests
{
    /// <summary>The core's hyperparameters: its settable properties (computed ones like EffectiveLearningRate excluded).</summary>
    private static PropertyInfo[] CoreProperties() =>
        typeof(InrOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();

    private static PropertyInfo Mirror(PropertyInfo core) =>
        typeof(IINROptions).GetProperty(core.Name)
        ?? throw new AssertFailedException($"IINROptions has no property {core.Name} ({core.PropertyType.Name}), which InrOptions has.");

    [TestMethod]
    public void EveryCoreOptionIsMirroredWithTheSameDefault()
    {
        var core = new InrOptions();
        var surface = new IINROptions();
        var properties = CoreProperties();
        Assert.IsGreaterThanOrEqualTo(30, properties.Length, "InrOptions' hyperparameters were found");
        foreach (var property in properties)
        {
            var mirror = Mirror(property);
            Assert.AreEqual(property.PropertyType, mirror.PropertyType, property.Name);
            Assert.AreEqual(property.GetValue(core), mirror.GetValue(surface), $"default of {property.Name}");
        }
        Assert.AreEqual(core, surface.ToCoreOptions(), "the default IINROptions map to the default InrOptions");
    }

    [TestMethod]
    public void ToCoreOptionsPassesEveryValueOn()
    {
        var surface = new IINROptions();
        foreach (var property in CoreProperties())
            Mirror(property).SetValue(surface, OtherValue(property.PropertyType, Mirror(property).GetValue(surface)));
        var core = surface.ToCoreOptions();
        foreach (var property in CoreProperties())
            Assert.AreEqual(Mirror(property).GetValue(surface), property.GetValue(core), property.Name);
        Assert.AreNotEqual(new InrOptions(), core);
    }

    [TestMethod]
    public void SurfaceOnlyOptionsHaveDocumentedDefaults()
    {
        var options = new IINROptions();
        Assert.AreEqual(("Coordinates", "Signal", "Reconstruction"), (options.CoordinatesColumnName, options.SignalColumnName, options.OutputColumnName));
        Assert.AreEqual(1, options.TrainingScale);
        Assert.IsNull(options.Progress);
        Assert.AreEqual(CancellationToken.None, options.CancellationToken);
        options.Validate();
    }

    [TestMethod]
    public void ValidateNamesTheOption()
    {
        var options = new IINROptions { Iterations = 0 };
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(options.Validate);
        Assert.AreEqual("Iterations", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(new IINROptions { TrainingScale = 65 }.Validate);
        Assert.AreEqual("TrainingScale", e.ParamName);
        var e2 = Assert.ThrowsExactly<ArgumentException>(new IINROptions { OutputColumnName = "" }.Validate);
        Assert.AreEqual("OutputColumnName", e2.ParamName);
    }

    /// <summary>A value of <paramref name="type"/> different from <paramref name="current"/>.</summary>
    private static object? OtherValue(Type type, object? current)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            var values = Enum.GetValues(underlying);
            return values.GetValue((Array.IndexOf(values, current) + 1) % values.Length);
        }
        return underlying == typeof(int) ? (current is int i ? i + 3 : 7)
            : underlying == typeof(double) ? (current is double d ? d * 0.5 : 0.125)
            : underlying == typeof(bool) ? !(bool)current!
            : throw new AssertFailedException($"no test value for {type}");
    }
}
