using DigitMl.Data;
using SkiaSharp;

namespace DigitMl.Evaluation;

/// <summary>val_predictions.png: a grid of images with their detections drawn as boxes labelled "class confidence".</summary>
public static class PredictionGridPlot
{
    /// <summary>
    /// Draws up to <paramref name="maxImages"/> samples (first ones) in a square-ish grid of <paramref name="cellSize"/> px
    /// cells; detections under <paramref name="minConfidence"/> are left out (the reference draws above 0.25).
    /// </summary>
    public static void Write(
        IReadOnlyList<YoloSample> samples,
        IReadOnlyList<IReadOnlyList<Detection>> predictions,
        IReadOnlyList<string> names,
        string pngPath,
        int maxImages = 16,
        int cellSize = 256,
        float minConfidence = 0.25f)
    {
        if (samples.Count != predictions.Count) throw new ArgumentException($"{samples.Count} samples but {predictions.Count} prediction lists");
        if (samples.Count == 0) throw new ArgumentException("no images to draw", nameof(samples));
        int count = Math.Min(maxImages, samples.Count);
        int columns = (int)Math.Ceiling(Math.Sqrt(count));
        int rows = (count + columns - 1) / columns;

        using var typeface = PlotRendering.Typeface();
        using var font = new SKFont(typeface, Math.Max(10, cellSize / 18f));
        using var bitmap = new SKBitmap(columns * cellSize, rows * cellSize);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int i = 0; i < count; i++)
            {
                var cell = new SKRect((i % columns) * cellSize, (i / columns) * cellSize, ((i % columns) + 1) * cellSize, ((i / columns) + 1) * cellSize);
                DrawCell(canvas, cell, samples[i], predictions[i], names, font, minConfidence);
            }
        }
        PlotRendering.SaveBitmap(bitmap, pngPath);
    }

    private static void DrawCell(SKCanvas canvas, SKRect cell, YoloSample sample, IReadOnlyList<Detection> detections, IReadOnlyList<string> names, SKFont font, float minConfidence)
    {
        using var image = ImageEncoder.ToBitmap(SampleImages.Load(sample));
        float scale = Math.Min(cell.Width / image.Width, cell.Height / image.Height);
        float ox = cell.Left + ((cell.Width - (image.Width * scale)) / 2), oy = cell.Top + ((cell.Height - (image.Height * scale)) / 2);
        using var sampling = new SKPaint { FilterQuality = SKFilterQuality.Medium };
        canvas.DrawBitmap(image, new SKRect(ox, oy, ox + (image.Width * scale), oy + (image.Height * scale)), sampling);

        using var border = new SKPaint { Style = SKPaintStyle.Stroke, Color = SKColors.White, StrokeWidth = 2 };
        canvas.DrawRect(cell, border);
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        using var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 160) };
        string caption = Path.GetFileName(sample.ImagePath) + (sample.RotationDegrees != 0 ? $" ({sample.RotationDegrees}°)" : "");
        DrawLabel(canvas, caption, cell.Left + 2, cell.Top + 2, font, shadow, text);

        foreach (var d in detections.Where(d => d.Score >= minConfidence).OrderBy(d => d.Score))
        {
            var color = PlotRendering.ColorOf(d.ClassId);
            var skColor = new SKColor(color.R, color.G, color.B);
            var rect = new SKRect(ox + (d.Box.X0 * scale), oy + (d.Box.Y0 * scale), ox + (d.Box.X1 * scale), oy + (d.Box.Y1 * scale));
            using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, Color = skColor, StrokeWidth = 2, IsAntialias = true };
            canvas.DrawRect(rect, stroke);
            using var fill = new SKPaint { Color = skColor };
            string name = d.ClassId < names.Count ? names[d.ClassId] : d.Label;
            DrawLabel(canvas, $"{name} {d.Score:0.00}", rect.Left, Math.Max(cell.Top, rect.Top - font.Size - 3), font, fill, text);
        }
    }

    private static void DrawLabel(SKCanvas canvas, string label, float x, float y, SKFont font, SKPaint background, SKPaint foreground)
    {
        using var paint = foreground.Clone();
        paint.Typeface = font.Typeface;
        paint.TextSize = font.Size;
        float width = paint.MeasureText(label);
        canvas.DrawRect(new SKRect(x, y, x + width + 4, y + font.Size + 3), background);
        canvas.DrawText(label, x + 2, y + font.Size, paint);
    }
}
