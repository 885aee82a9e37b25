// Usage: IINR.FreshLoad <model.zip> <inputs.txt> <outputColumn> [--images]
//   inputs.txt: one row per line: "X Y" as 8-hex-digit Single bit patterns; with --images, an image path (column "Path").
// Prints whether Microsoft.ML.IINR was loaded before and after mlContext.Model.Load, then one line per row: the
// output vector as 8-hex-digit bit patterns, or with --images "WxH" and the SHA-256 of the image's pixel bytes. No
// IINR type is named here and nothing is registered with ML.NET.
//
// Usage: IINR.FreshLoad save-loop <model.zip> <target.zip>
//   Loads the model, then saves it to target.zip again and again (IINRModel.Save, atomic), printing
//   "saved" after each save, until it is killed (PersistenceTests.AKilledSaverNeverDamagesTheSavedModel).
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length == 3 && args[0] == "save-loop") SaveLoop.Run(args[1], args[2]);

bool images = args.Length == 4 && args[3] == "--images";
if (args.Length != 3 && !images)
{
    Console.Error.WriteLine("usage: IINR.FreshLoad <model.zip> <inputs.txt> <outputColumn> [--images] | save-loop <model.zip> <target.zip>");
    return 2;
}

static bool IINRLoaded() => AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.ML.IINR");

var mlContext = new MLContext(seed: 0);
Console.WriteLine($"iinr-loaded-before-load {IINRLoaded()}");
var model = mlContext.Model.Load(args[0], out _);
Console.WriteLine($"iinr-loaded-after-load {IINRLoaded()}");

var lines = File.ReadLines(args[1]).Where(line => line.Length > 0);
IDataView input = images
    ? mlContext.Data.LoadFromEnumerable(lines.Select(line => new ImagePath { Path = line }).ToList())
    : mlContext.Data.LoadFromEnumerable(lines
        .Select(line => line.Split(' ').Select(h => BitConverter.Int32BitsToSingle(int.Parse(h, NumberStyles.HexNumber))).ToArray())
        .Select(v => new Point { X = v[0], Y = v[1] })
        .ToList());
var output = model.Transform(input);
var column = output.Schema[args[2]];
using var cursor = output.GetRowCursor([column]);
if (images)
{
    var getter = cursor.GetGetter<MLImage>(column);
    MLImage image = null!;
    while (cursor.MoveNext())
    {
        getter(ref image);
        Console.WriteLine($"{image.Width}x{image.Height} {Convert.ToHexString(SHA256.HashData(image.Pixels))}");
    }
    image?.Dispose();
}
else
{
    var getter = cursor.GetGetter<VBuffer<float>>(column);
    var value = default(VBuffer<float>);
    while (cursor.MoveNext())
    {
        getter(ref value);
        Console.WriteLine(string.Join(' ', value.DenseValues().Select(f => BitConverter.SingleToInt32Bits(f).ToString("X8"))));
    }
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

internal sealed class ImagePath
{
    public string Path { get; set; } = "";
}
