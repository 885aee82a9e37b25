// Usage: IINR.FreshLoad <model.zip> <inputs.txt> <outputColumn>
//   inputs.txt: one row per line, "X Y" as 8-hex-digit Single bit patterns.
// Prints whether Microsoft.ML.IINR was loaded before and after mlContext.Model.Load, then one
// line per row with the output vector as 8-hex-digit bit patterns. No IINR type is named here and
// nothing is registered with ML.NET.
//
// Usage: IINR.FreshLoad save-loop <model.zip> <target.zip>
//   Loads the model, then saves it to target.zip again and again (IINRModel.Save, atomic), printing
//   "saved" after each save, until it is killed (tests/IINR.Tests/Signals/AtomicFileTests).
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length == 3 && args[0] == "save-loop") SaveLoop.Run(args[1], args[2]);

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: IINR.FreshLoad <model.zip> <inputs.txt> <outputColumn> | save-loop <model.zip> <target.zip>");
    return 2;
}

static bool IINRLoaded() => AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.IINR");

var mlContext = new MLContext(seed: 0);
Console.WriteLine($"iinr-loaded-before-load {IINRLoaded()}");
var model = mlContext.Model.Load(args[0], out _);
Console.WriteLine($"iinr-loaded-after-load {IINRLoaded()}");

var rows = File.ReadLines(args[1])
    .Where(line => line.Length > 0)
    .Select(line => line.Split(' ').Select(h => BitConverter.Int32BitsToSingle(int.Parse(h, NumberStyles.HexNumber))).ToArray())
    .Select(v => new Point { X = v[0], Y = v[1] })
    .ToList();
var output = model.Transform(mlContext.Data.LoadFromEnumerable(rows));
var column = output.Schema[args[2]];
using var cursor = output.GetRowCursor([column]);
var getter = cursor.GetGetter<VBuffer<float>>(column);
var value = default(VBuffer<float>);
while (cursor.MoveNext())
{
    getter(ref value);
    Console.WriteLine(string.Join(' ', value.DenseValues().Select(f => BitConverter.SingleToInt32Bits(f).ToString("X8"))));
}
return 0;

internal sealed class Point
{
    public float X { get; set; }
    public float Y { get; set; }
}

// Separate, not inlined: naming IINRModel in the main program would load Microsoft.ML.IINR before the fresh-load check.
internal static class SaveLoop
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static void Run(string model, string target)
    {
        var ml = new MLContext(seed: 0);
        var loaded = ml.Model.Load(model, out var schema);
        while (true)
        {
            Microsoft.ML.IINR.IINRModel.Save(ml, loaded, schema, target);
            Console.WriteLine("saved");
        }
    }
}
