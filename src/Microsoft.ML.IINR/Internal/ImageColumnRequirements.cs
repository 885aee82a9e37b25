using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Schema checks of the image-column steps, with ML.NET-style messages: a missing or ill-typed column is an
/// <see cref="ArgumentOutOfRangeException"/> (parameter "inputSchema") naming the column, the step, what was expected
/// and what was found; a fixed image size whose output would be too large names the size and the scale.
/// </summary>
internal static class ImageColumnRequirements
{
    private const string SchemaParameter = "inputSchema";
    private const string Expected = "an image column (MLImage, ImageDataViewType), as mlContext.Transforms.LoadImages produces";

    /// <summary>The image column <paramref name="name"/> of <paramref name="schema"/>.</summary>
    internal static (DataViewSchema.Column Column, ImageDataViewType Type) Image(DataViewSchema schema, string name, string step)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw NotFound(name, step, schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
        if (column.Type is not ImageDataViewType type)
            throw NotAnImage(name, step, column.Type is VectorDataViewType { IsKnownSize: false } v
                ? $"a variable-size vector of {v.ItemType}" : column.Type.ToString()!, column.Type is VectorDataViewType);
        return (column, type);
    }

    /// <summary>The estimator's check on a <see cref="SchemaShape"/> (whose item type carries the image size, if fixed).</summary>
    internal static ImageDataViewType Image(SchemaShape schema, string name, string step)
    {
        // Public API only (SchemaShape.TryFindColumn is internal); the last match is the visible column.
        var matches = schema.Where(c => c.Name == name).ToArray();
        if (matches.Length == 0)
            throw NotFound(name, step, schema.Select(c => $"'{c.Name}'"));
        var column = matches[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not ImageDataViewType type)
        {
            string found = column.Kind switch
            {
                SchemaShape.Column.VectorKind.VariableVector => $"a variable-size vector of {column.ItemType}",
                SchemaShape.Column.VectorKind.Vector => $"a vector of {column.ItemType}",
                _ => column.ItemType.ToString()!,
            };
            throw NotAnImage(name, step, found, column.Kind != SchemaShape.Column.VectorKind.Scalar);
        }
        return type;
    }

    /// <summary>The output column's type: the scaled size for a fixed-size input (checked against the step's pixel cap), otherwise variable.</summary>
    internal static ImageDataViewType OutputType(ImageStep step, ImageDataViewType input, string name, string stepName)
    {
        if (input.Width == 0 || input.Height == 0) return new ImageDataViewType();
        var (width, height) = step.OutputSize(input.Width, input.Height);
        if ((long)width * height > ImageStep.MaxOutputPixels)
            throw new ArgumentOutOfRangeException(SchemaParameter,
                $"Column '{name}' holds {input.Width}×{input.Height} images, which {stepName} at scale {step.Scale.ToString(CultureInfo.InvariantCulture)} turns into " +
                $"{width}×{height}, more than {ImageStep.MaxOutputPixels / (1024 * 1024)} megapixels; resize the images first or lower the scale.");
        return new ImageDataViewType(height, width);
    }

    private static ArgumentOutOfRangeException NotFound(string name, string step, IEnumerable<string> columns)
    {
        var list = columns.ToList();
        return new ArgumentOutOfRangeException(SchemaParameter,
            $"Column '{name}' not found in the input data; {step} needs {Expected}. The input has: {(list.Count == 0 ? "no columns" : string.Join(", ", list))}.");
    }

    private static ArgumentOutOfRangeException NotAnImage(string name, string step, string found, bool vector) =>
        new(SchemaParameter, $"Column '{name}' must be {Expected} for {step}, found {found}" +
            (vector ? " (pixel values carry no width and height: apply the step before ExtractPixels)." : "."));
}
