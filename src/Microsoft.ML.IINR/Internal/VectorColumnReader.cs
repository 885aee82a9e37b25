using System.Buffers;
using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.IINR.Internal;

/// <summary>
/// Reads known-size <c>Vector&lt;Single&gt;</c> columns of a data view into dense row-major arrays,
/// in one pass, rejecting non-finite values with a message naming the column and the row.
/// </summary>
internal static class VectorColumnReader
{
    /// <summary>Reads <paramref name="columns"/> (each with its vector size) row by row; returns one array per column.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite.</exception>
    internal static float[][] Read(IDataView data, params (DataViewSchema.Column Column, int Size)[] columns)
    {
        var writers = columns.Select(c => new ArrayBufferWriter<float>(checked((int)Math.Clamp(data.GetRowCount() ?? 1024, 1, Array.MaxLength / c.Size) * c.Size))).ToArray();
        using var cursor = data.GetRowCursor(columns.Select(c => c.Column));
        var getters = columns.Select(c => cursor.GetGetter<VBuffer<float>>(c.Column)).ToArray();
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            for (int k = 0; k < columns.Length; k++)
            {
                getters[k](ref value);
                int size = columns[k].Size;
                var span = writers[k].GetSpan(size)[..size];
                value.CopyTo(span); // densifies sparse vectors
                CheckFinite(span, columns[k].Column.Name, cursor.Position);
                writers[k].Advance(size);
            }
        }
        return writers.Select(w => w.WrittenSpan.ToArray()).ToArray();
    }

    /// <summary>Throws unless every value of one row is finite.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite; the message names the column, row and element.</exception>
    internal static void CheckFinite(ReadOnlySpan<float> row, string column, long position)
    {
        for (int i = 0; i < row.Length; i++)
        {
            if (!float.IsFinite(row[i]))
                throw new InvalidOperationException(
                    $"Column '{column}' row {position} element {i} is {row[i].ToString(CultureInfo.InvariantCulture)}: every value must be finite.");
        }
    }
}
