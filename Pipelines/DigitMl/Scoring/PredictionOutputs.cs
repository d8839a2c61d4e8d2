using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitMl.Data;
using SkiaSharp;

namespace DigitMl.Scoring;

/// <summary>
/// Files written by <c>predict</c>: Ultralytics-style label text (<c>class cx cy w h conf</c>, normalised to the image),
/// annotated images (boxes with class and confidence) and a JSON summary.
/// </summary>
public static class PredictionOutputs
{
    private static readonly SKColor[] Palette =
    [
        new(255, 56, 56), new(255, 157, 151), new(255, 112, 31), new(255, 178, 29), new(207, 210, 49),
        new(72, 249, 10), new(146, 204, 23), new(61, 219, 134), new(26, 147, 52), new(0, 212, 187),
    ];

    /// <summary>One line per detection: class cx cy w h conf (the reference's save_txt with save_conf).</summary>
    public static string FormatText(IReadOnlyList<Detection> detections, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var d in detections)
        {
            var b = d.Box;
            text.Append(inv, $"{d.ClassId} {G(b.CenterX / imageWidth)} {G(b.CenterY / imageHeight)} {G(b.Width / imageWidth)} {G(b.Height / imageHeight)} {G(d.Score)}\n");
        }

        return text.ToString();
    }

    /// <summary>Draws boxes with "label score" tags on a copy of the image and writes it as PNG.</summary>
    public static void SaveAnnotated(RgbImage image, IReadOnlyList<Detection> detections, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(detections);
        using var bitmap = ImageEncoder.ToBitmap(image);
        using (var canvas = new SKCanvas(bitmap))
        {
            float line = Math.Max(1f, Math.Min(image.Width, image.Height) / 200f);
            float largestText = Math.Max(9f, Math.Min(image.Width, image.Height) / 22f);
            using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = line, IsAntialias = true };
            using var fill = new SKPaint { Style = SKPaintStyle.Fill };
            using var ink = new SKPaint { Color = SKColors.White, IsAntialias = true };
            foreach (var d in detections)
            {
                var color = Palette[(d.ClassId < 0 ? 0 : d.ClassId) % Palette.Length];
                stroke.Color = color;
                fill.Color = color;
                var b = d.Box;
                // tags scale with their box too, so that on a whole sheet of small digits they do not cover the digits
                float textSize = Math.Clamp(b.Height * 0.45f, 9f, largestText);
                stroke.StrokeWidth = Math.Clamp(Math.Min(b.Width, b.Height) / 16f, 1f, line);
                ink.TextSize = textSize;
                canvas.DrawRect(b.X0, b.Y0, b.Width, b.Height, stroke);
                string tag = string.Create(CultureInfo.InvariantCulture, $"{d.Label} {d.Score:0.00}");
                float width = ink.MeasureText(tag);
                float top = b.Y0 - textSize - 2 >= 0 ? b.Y0 - textSize - 2 : b.Y0;
                canvas.DrawRect(b.X0, top, width + 4, textSize + 2, fill);
                canvas.DrawText(tag, b.X0 + 2, top + textSize - 1, ink);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Fast zlib level: annotated previews are written for every image of a folder; size matters less than time.
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, zLibLevel: 1));
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>JSON: [{ "image", "width", "height", "page_turn" (turn-aware models), "detections": [{ "class", "label", "confidence", "box": [x0,y0,x1,y1] }] }].</summary>
    public static void WriteJson(IEnumerable<ImagePredictions> predictions, string path)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var p in predictions)
        {
            json.WriteStartObject();
            json.WriteString("image", p.ImagePath);
            if (p.Error is not null)
            {
                json.WriteString("error", p.Error);
            }
            else
            {
                json.WriteNumber("width", p.Width);
                json.WriteNumber("height", p.Height);
                if (p.PageTurn is { } turn) json.WriteNumber("page_turn", turn);
                json.WriteStartArray("detections");
                foreach (var d in p.Detections)
                {
                    json.WriteStartObject();
                    json.WriteNumber("class", d.ClassId);
                    json.WriteString("label", d.Label);
                    json.WriteNumber("confidence", Math.Round(d.Score, 5));
                    json.WriteStartArray("box");
                    foreach (float v in new[] { d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1 }) json.WriteNumberValue(Math.Round(v, 2));
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string G(float value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>What <c>predict</c> found in one image (or why it could not read it).</summary>
public sealed record ImagePredictions(string ImagePath, int Width, int Height, IReadOnlyList<Detection> Detections, string? Error = null)
{
    /// <summary>The page turn (degrees clockwise) a turn-aware model voted; null for plain models.</summary>
    public int? PageTurn { get; init; }
}
