using System.Globalization;
using System.Text;

namespace DigitMl.Scoring;

/// <summary>
/// What the parameterless custom mappings of the scoring chain need to know (input size, thresholds, class names,
/// pixel limit). ML.NET saves a custom mapping by its contract name only, so these settings travel through the
/// chain as a constant text column (<see cref="ScoringColumns.Settings"/>) written by a saved Expression transform.
/// Format: <c>imgsz=160;conf=0.25;iou=0.7;max_det=300;agnostic=0;max_pixels=50000000;names=0,1,...</c> with each
/// name URI-escaped (so the text never holds quotes, separators or backslashes).
/// </summary>
public sealed record DetectionSettings(int ImageSize, DetectionThresholds Thresholds, IReadOnlyList<string> Names, long MaxImagePixels)
{
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"imgsz={ImageSize};conf={Thresholds.Confidence:R};iou={Thresholds.IoU:R};");
        text.Append(CultureInfo.InvariantCulture, $"max_det={Thresholds.MaxDetections};agnostic={(Thresholds.ClassAgnostic ? 1 : 0)};max_pixels={MaxImagePixels};");
        text.Append("names=").Append(string.Join(',', Names.Select(Uri.EscapeDataString)));
        return text.ToString();
    }

    public static DetectionSettings Parse(ReadOnlySpan<char> span) => Parse(span.ToString());

    public static DetectionSettings Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new FormatException($"detection settings: malformed entry '{part}' in '{text}'");
            values[part[..eq]] = part[(eq + 1)..];
        }

        string Get(string key) => values.TryGetValue(key, out var v) ? v : throw new FormatException($"detection settings: missing '{key}' in '{text}'");
        var inv = CultureInfo.InvariantCulture;
        var names = Get("names").Split(',').Select(Uri.UnescapeDataString).ToList();
        var thresholds = new DetectionThresholds(
            float.Parse(Get("conf"), inv), float.Parse(Get("iou"), inv), int.Parse(Get("max_det"), inv), Get("agnostic") == "1");
        return new DetectionSettings(int.Parse(Get("imgsz"), inv), thresholds, names, long.Parse(Get("max_pixels"), inv));
    }

    /// <summary>Parses once per distinct text: the column carries the same constant on every row.</summary>
    internal sealed class Cache
    {
        private (string Text, DetectionSettings Settings)? _last;

        public DetectionSettings Get(ReadOnlyMemory<char> text)
        {
            var last = _last;
            if (last is { } hit && text.Span.SequenceEqual(hit.Text)) return hit.Settings;
            var parsed = Parse(text.Span);
            _last = (text.ToString(), parsed);
            return parsed;
        }
    }
}
