using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Schema checks with ML.NET-style messages: a missing or ill-typed column is an
/// <see cref="ArgumentOutOfRangeException"/> (parameter "inputSchema") naming the column, the
/// expected type and the type found, e.g. "Column 'Coordinates' must be Vector&lt;Single, 1..3&gt;,
/// found Vector&lt;Double, 2&gt;."
/// </summary>
internal static class ColumnRequirements
{
    private const string SchemaParameter = "inputSchema";

    /// <summary>
    /// The column <paramref name="name"/> of <paramref name="schema"/>, which must be a known-size
    /// vector of Single with <paramref name="minSize"/> to <paramref name="maxSize"/> elements;
    /// returns it and its size.
    /// </summary>
    /// <param name="schema">The schema to look in.</param>
    /// <param name="name">The column's name.</param>
    /// <param name="minSize">Smallest vector size accepted.</param>
    /// <param name="maxSize">Largest vector size accepted.</param>
    /// <param name="why">Appended in parentheses to a size error, e.g. "the model was fitted to 2-D coordinates".</param>
    internal static (DataViewSchema.Column Column, int Size) SingleVector(DataViewSchema schema, string name, int minSize, int maxSize, string? why = null)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(SchemaParameter,
                $"Column '{name}' not found in the input data; it must be {Expected(minSize, maxSize)}. The input has: {Describe(schema)}.");
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single
            || vector.Size < minSize || vector.Size > maxSize)
            throw new ArgumentOutOfRangeException(SchemaParameter,
                $"Column '{name}' must be {Expected(minSize, maxSize)}, found {column.Type}{(why is null ? "" : $" ({why})")}.");
        return (column, vector.Size);
    }

    /// <summary>The estimator's check on a <see cref="SchemaShape"/>, which knows the kind and item type but not the vector size.</summary>
    internal static void SingleVector(SchemaShape schema, string name, int minSize, int maxSize)
    {
        // Public API only (SchemaShape.TryFindColumn is internal); the last match is the visible column.
        var matches = schema.Where(c => c.Name == name).ToArray();
        if (matches.Length == 0)
            throw new ArgumentOutOfRangeException(SchemaParameter,
                $"Column '{name}' not found in the input data; it must be {Expected(minSize, maxSize)}. The input has: {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        var column = matches[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(SchemaParameter,
                $"Column '{name}' must be {Expected(minSize, maxSize)}, found {Describe(column)}.");
    }

    internal static string Expected(int minSize, int maxSize) =>
        minSize == maxSize ? $"Vector<Single, {minSize}>" : $"Vector<Single, {minSize}..{maxSize}>";

    private static string Describe(DataViewSchema schema) =>
        schema.Count == 0 ? "no columns" : string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));

    private static string Describe(SchemaShape.Column column) => column.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => $"{column.ItemType}",
        SchemaShape.Column.VectorKind.VariableVector => $"Vector<{column.ItemType}> of variable size",
        _ => $"Vector<{column.ItemType}>",
    };
}
