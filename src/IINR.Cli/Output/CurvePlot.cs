using IINR.Signals;
using SkiaSharp;

namespace IINR.Cli.Output;

/// <summary>Draws training curves (PSNR against iteration) as a PNG with SkiaSharp. Text is drawn with a small
/// built-in stroke font, so the plot looks the same with or without system fonts.</summary>
internal static class CurvePlot
{
    static readonly SKColor[] Palette = [new(0x1f, 0x77, 0xb4), new(0xd6, 0x27, 0x28), new(0x2c, 0xa0, 0x2c), new(0xff, 0x7f, 0x0e), new(0x94, 0x67, 0xbd)];

    public sealed record Series(string Name, IReadOnlyList<CurvePoint> Points);

    public static void Save(string path, string title, IReadOnlyList<Series> series, int width = 800, int height = 500)
    {
        AtomicFile.WriteAllBytes(path, Render(title, series, width, height));
    }

    public static byte[] Render(string title, IReadOnlyList<Series> series, int width = 800, int height = 500)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Psnr)).ToList();
        double xMax = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Iteration));
        double yMin = points.Count == 0 ? 0 : Math.Floor(points.Min(p => p.Psnr));
        double yMax = points.Count == 0 ? 1 : Math.Ceiling(points.Max(p => p.Psnr));
        if (yMax - yMin < 1) yMax = yMin + 1;
        var (yStep, yFirst) = Ticks(yMin, yMax);
        var (xStep, _) = Ticks(0, xMax);

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        float left = 70, right = width - 20, top = 45, bottom = height - 55;
        float X(double it) => left + (float)(it / xMax) * (right - left);
        float Y(double psnr) => bottom - (float)((psnr - yMin) / (yMax - yMin)) * (bottom - top);

        using var grid = new SKPaint { Color = new SKColor(0xe0, 0xe0, 0xe0), StrokeWidth = 1, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
        using var text = new SKPaint { Color = SKColors.Black, StrokeWidth = 1.4f, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round };

        for (double y = yFirst; y <= yMax + 1e-9; y += yStep)
        {
            canvas.DrawLine(left, Y(y), right, Y(y), grid);
            string label = Format(y, yStep);
            StrokeFont.Draw(canvas, label, left - 8 - StrokeFont.Width(label, 11), Y(y) + 5.5f, 11, text);
        }
        for (double x = 0; x <= xMax + 1e-9; x += xStep)
        {
            canvas.DrawLine(X(x), top, X(x), bottom, grid);
            string label = Format(x, xStep);
            StrokeFont.Draw(canvas, label, X(x) - StrokeFont.Width(label, 11) / 2, bottom + 20, 11, text);
        }
        canvas.DrawRect(left, top, right - left, bottom - top, axis);
        StrokeFont.Draw(canvas, "ITERATION", (left + right) / 2 - StrokeFont.Width("ITERATION", 12) / 2, height - 12, 12, text);
        StrokeFont.Draw(canvas, "PSNR (DB)", 8, top - 12, 12, text);
        StrokeFont.Draw(canvas, title.ToUpperInvariant(), left + 90, 24, 14, text);

        canvas.Save();
        canvas.ClipRect(new SKRect(left, top, right, bottom));
        for (int i = 0; i < series.Count; i++)
        {
            using var pen = new SKPaint { Color = Palette[i % Palette.Length], StrokeWidth = 2.2f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var path = new SKPath();
            bool first = true;
            foreach (var p in series[i].Points.Where(p => double.IsFinite(p.Psnr)))
            {
                if (first) { path.MoveTo(X(p.Iteration), Y(p.Psnr)); first = false; }
                else path.LineTo(X(p.Iteration), Y(p.Psnr));
            }
            canvas.DrawPath(path, pen);
        }
        canvas.Restore();

        // Legend, bottom right inside the plot: a line sample and the series name with its last PSNR.
        float ly = bottom - 14 - 20 * (series.Count - 1);
        for (int i = 0; i < series.Count; i++, ly += 20)
        {
            var last = series[i].Points.LastOrDefault();
            string name = series[i].Points.Count == 0 ? series[i].Name : $"{series[i].Name} {last.Psnr:0.00}";
            float w = StrokeFont.Width(name.ToUpperInvariant(), 11);
            using var pen = new SKPaint { Color = Palette[i % Palette.Length], StrokeWidth = 3, IsAntialias = true };
            canvas.DrawLine(right - w - 40, ly - 4, right - w - 16, ly - 4, pen);
            StrokeFont.Draw(canvas, name.ToUpperInvariant(), right - w - 8, ly + 1.5f, 11, text);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    static (double Step, double First) Ticks(double min, double max)
    {
        double raw = (max - min) / 6;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3.5 ? 2 : raw / magnitude < 7.5 ? 5 : 10);
        return (step, Math.Ceiling(min / step - 1e-9) * step);
    }

    static string Format(double value, double step) => step >= 1 ? value.ToString("0") : value.ToString("0.0");
}
