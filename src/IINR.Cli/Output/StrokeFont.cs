using SkiaSharp;

namespace IINR.Cli.Output;

/// <summary>
/// A tiny vector font (digits, capital letters, a few symbols) drawn as strokes on a 4×6 grid. SkiaSharp's Linux
/// build without font dependencies has no usable default typeface; this keeps plot labels visible everywhere.
/// Characters it does not know are drawn as blanks.
/// </summary>
internal static class StrokeFont
{
    const float GlyphWidth = 4, GlyphHeight = 6, Advance = 6;

    static readonly Dictionary<char, float[][]> Glyphs = new()
    {
        ['0'] = [[0, 0, 4, 0, 4, 6, 0, 6, 0, 0], [4, 0, 0, 6]],
        ['1'] = [[1, 1, 2, 0, 2, 6], [1, 6, 3, 6]],
        ['2'] = [[0, 0, 4, 0, 4, 3, 0, 3, 0, 6, 4, 6]],
        ['3'] = [[0, 0, 4, 0, 4, 6, 0, 6], [0, 3, 4, 3]],
        ['4'] = [[0, 0, 0, 3, 4, 3], [4, 0, 4, 6]],
        ['5'] = [[4, 0, 0, 0, 0, 3, 4, 3, 4, 6, 0, 6]],
        ['6'] = [[4, 0, 0, 0, 0, 6, 4, 6, 4, 3, 0, 3]],
        ['7'] = [[0, 0, 4, 0, 1, 6]],
        ['8'] = [[0, 0, 4, 0, 4, 6, 0, 6, 0, 0], [0, 3, 4, 3]],
        ['9'] = [[4, 3, 0, 3, 0, 0, 4, 0, 4, 6, 0, 6]],
        ['.'] = [[1.8f, 5.6f, 1.8f, 6]],
        [','] = [[2, 5.4f, 1.5f, 6.8f]],
        ['-'] = [[0.5f, 3, 3.5f, 3]],
        ['+'] = [[0.5f, 3, 3.5f, 3], [2, 1.5f, 2, 4.5f]],
        ['='] = [[0.5f, 2, 3.5f, 2], [0.5f, 4, 3.5f, 4]],
        ['('] = [[2.5f, 0, 1, 1.5f, 1, 4.5f, 2.5f, 6]],
        [')'] = [[1.5f, 0, 3, 1.5f, 3, 4.5f, 1.5f, 6]],
        [':'] = [[2, 1.8f, 2, 2.2f], [2, 4.8f, 2, 5.2f]],
        ['/'] = [[0, 6, 4, 0]],
        ['%'] = [[0, 6, 4, 0], [0, 0, 1, 0, 1, 1, 0, 1, 0, 0], [3, 5, 4, 5, 4, 6, 3, 6, 3, 5]],
        ['×'] = [[0.5f, 1.5f, 3.5f, 4.5f], [3.5f, 1.5f, 0.5f, 4.5f]],
        ['A'] = [[0, 6, 0, 1, 1, 0, 3, 0, 4, 1, 4, 6], [0, 3, 4, 3]],
        ['B'] = [[0, 0, 0, 6, 3, 6, 4, 5, 4, 4, 3, 3, 0, 3], [0, 0, 3, 0, 4, 1, 4, 2, 3, 3]],
        ['C'] = [[4, 0, 0, 0, 0, 6, 4, 6]],
        ['D'] = [[0, 0, 0, 6, 2.5f, 6, 4, 4.5f, 4, 1.5f, 2.5f, 0, 0, 0]],
        ['E'] = [[4, 0, 0, 0, 0, 6, 4, 6], [0, 3, 3, 3]],
        ['F'] = [[4, 0, 0, 0, 0, 6], [0, 3, 3, 3]],
        ['G'] = [[4, 1, 4, 0, 0, 0, 0, 6, 4, 6, 4, 3, 2, 3]],
        ['H'] = [[0, 0, 0, 6], [4, 0, 4, 6], [0, 3, 4, 3]],
        ['I'] = [[1, 0, 3, 0], [2, 0, 2, 6], [1, 6, 3, 6]],
        ['J'] = [[4, 0, 4, 6, 0, 6, 0, 4]],
        ['K'] = [[0, 0, 0, 6], [4, 0, 0, 3.5f], [1.3f, 2.7f, 4, 6]],
        ['L'] = [[0, 0, 0, 6, 4, 6]],
        ['M'] = [[0, 6, 0, 0, 2, 3, 4, 0, 4, 6]],
        ['N'] = [[0, 6, 0, 0, 4, 6, 4, 0]],
        ['O'] = [[0, 0, 4, 0, 4, 6, 0, 6, 0, 0]],
        ['P'] = [[0, 6, 0, 0, 4, 0, 4, 3, 0, 3]],
        ['Q'] = [[0, 0, 4, 0, 4, 6, 0, 6, 0, 0], [2.5f, 4.5f, 4, 6.5f]],
        ['R'] = [[0, 6, 0, 0, 4, 0, 4, 3, 0, 3], [1.5f, 3, 4, 6]],
        ['S'] = [[4, 0, 0, 0, 0, 3, 4, 3, 4, 6, 0, 6]],
        ['T'] = [[0, 0, 4, 0], [2, 0, 2, 6]],
        ['U'] = [[0, 0, 0, 6, 4, 6, 4, 0]],
        ['V'] = [[0, 0, 2, 6, 4, 0]],
        ['W'] = [[0, 0, 1, 6, 2, 3, 3, 6, 4, 0]],
        ['X'] = [[0, 0, 4, 6], [4, 0, 0, 6]],
        ['Y'] = [[0, 0, 2, 3, 4, 0], [2, 3, 2, 6]],
        ['Z'] = [[0, 0, 4, 0, 0, 6, 4, 6]],
    };

    /// <summary>Width in pixels of <paramref name="text"/> at cap height <paramref name="size"/>.</summary>
    public static float Width(string text, float size) =>
        text.Length == 0 ? 0 : (text.Length * Advance - (Advance - GlyphWidth)) * size / GlyphHeight;

    /// <summary>Draws <paramref name="text"/> with its left end at <paramref name="x"/> and its baseline at <paramref name="baseline"/>.</summary>
    public static void Draw(SKCanvas canvas, string text, float x, float baseline, float size, SKPaint paint)
    {
        float scale = size / GlyphHeight, top = baseline - size;
        using var path = new SKPath();
        for (int i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(char.ToUpperInvariant(text[i]), out var strokes)) continue;
            float ox = x + i * Advance * scale;
            foreach (var stroke in strokes)
            {
                path.MoveTo(ox + stroke[0] * scale, top + stroke[1] * scale);
                for (int k = 2; k + 1 < stroke.Length; k += 2) path.LineTo(ox + stroke[k] * scale, top + stroke[k + 1] * scale);
            }
        }
        canvas.DrawPath(path, paint);
    }
}
