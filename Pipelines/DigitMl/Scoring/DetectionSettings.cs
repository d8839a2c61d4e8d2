using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DigitMl.Scoring;

/// <summary>
/// What the scoring steps need to know besides the model: the training (letterbox) size, thresholds, class names,
/// pixel limit, how images are fed to the network and the page-orientation options. ML.NET saves a custom mapping by
/// its contract name only, so these settings travel through the chain as a constant text column
/// (<see cref="ScoringColumns.Settings"/>) written by a saved Expression transform.
/// Format: <c>imgsz=160;conf=0.25;iou=0.7;max_det=300;agnostic=0;max_pixels=50000000;multi_label=0;mode=auto;tile=0;
/// overlap=0.25;budget=2560000;orientation=auto;turn_penalty=0.5;threads=0;names=0,1,...</c> with each name URI-escaped (so the
/// text never holds quotes, separators or backslashes). Keys after max_pixels are optional (defaults when missing).
/// </summary>
public sealed record DetectionSettings(int ImageSize, DetectionThresholds Thresholds, IReadOnlyList<string> Names, long MaxImagePixels)
{
    public InferenceSettings Inference { get; init; } = InferenceSettings.Default;

    public PageOrientationMode PageOrientation { get; init; } = PageOrientationMode.Auto;

    public float TurnPenalty { get; init; } = PageTurnVote.DefaultPenalty;

    /// <summary>Every class above the threshold per anchor (validation's post-processing), not only the best one.</summary>
    public bool MultiLabel { get; init; }

    /// <summary>ONNX Runtime intra-op threads of the chain's session (null: the cores this process may use).</summary>
    public int? IntraOpThreads { get; init; }

    public string Format()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(inv, $"imgsz={ImageSize};conf={Thresholds.Confidence:R};iou={Thresholds.IoU:R};");
        text.Append(inv, $"max_det={Thresholds.MaxDetections};agnostic={(Thresholds.ClassAgnostic ? 1 : 0)};max_pixels={MaxImagePixels};");
        text.Append(inv, $"multi_label={(MultiLabel ? 1 : 0)};mode={InferenceSettings.FormatMode(Inference.Mode)};tile={Inference.TileSize ?? 0};");
        text.Append(inv, $"overlap={Inference.TileOverlap:R};budget={Inference.MaxPixels};");
        text.Append(inv, $"orientation={PageOrientation.ToString().ToLower(inv)};turn_penalty={TurnPenalty:R};threads={IntraOpThreads ?? 0};");
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
        string Optional(string key, string fallback) => values.TryGetValue(key, out var v) ? v : fallback;
        var inv = CultureInfo.InvariantCulture;
        var names = Get("names").Split(',').Select(Uri.UnescapeDataString).ToList();
        var thresholds = new DetectionThresholds(
            float.Parse(Get("conf"), inv), float.Parse(Get("iou"), inv), int.Parse(Get("max_det"), inv), Get("agnostic") == "1");
        int tile = int.Parse(Optional("tile", "0"), inv);
        var inference = new InferenceSettings
        {
            Mode = InferenceSettings.ParseMode(Optional("mode", "auto")),
            TileSize = tile > 0 ? tile : null,
            TileOverlap = float.Parse(Optional("overlap", InferenceSettings.DefaultTileOverlap.ToString("R", inv)), inv),
            MaxPixels = long.Parse(Optional("budget", InferenceSettings.DefaultMaxPixels.ToString(inv)), inv),
        };
        string orientation = Optional("orientation", "auto");
        if (!Enum.TryParse<PageOrientationMode>(orientation, ignoreCase: true, out var pageOrientation) || !Enum.IsDefined(pageOrientation))
            throw new FormatException($"detection settings: unknown orientation '{orientation}' in '{text}'");
        return new DetectionSettings(int.Parse(Get("imgsz"), inv), thresholds, names, long.Parse(Get("max_pixels"), inv))
        {
            Inference = inference,
            PageOrientation = pageOrientation,
            TurnPenalty = float.Parse(Optional("turn_penalty", PageTurnVote.DefaultPenalty.ToString("R", inv)), inv),
            MultiLabel = Optional("multi_label", "0") == "1",
            IntraOpThreads = int.Parse(Optional("threads", "0"), inv) is > 0 and var threads ? threads : null,
        };
    }

    /// <summary>
    /// Parses once per distinct text: the column carries the same constant string on every row, so the common case
    /// is a reference check. Thread-safe (the chain's mapping is shared by every PredictionEngine).
    /// </summary>
    internal sealed class Cache
    {
        private volatile Entry? _last;

        public DetectionSettings Get(ReadOnlyMemory<char> text)
        {
            var last = _last;
            if (last is not null && (SameString(text, last.Text) || text.Span.SequenceEqual(last.Text))) return last.Settings;
            var parsed = Parse(text.Span);
            _last = new Entry(AsString(text), parsed);
            return parsed;
        }

        private static bool SameString(ReadOnlyMemory<char> text, string cached) =>
            MemoryMarshal.TryGetString(text, out var s, out int start, out int length) && ReferenceEquals(s, cached) && start == 0 && length == cached.Length;

        /// <summary>The string behind the memory when it spans all of one (no copy), else a copy.</summary>
        internal static string AsString(ReadOnlyMemory<char> text) =>
            MemoryMarshal.TryGetString(text, out var s, out int start, out int length) && start == 0 && length == s.Length ? s : text.ToString();

        private sealed record Entry(string Text, DetectionSettings Settings);
    }
}
