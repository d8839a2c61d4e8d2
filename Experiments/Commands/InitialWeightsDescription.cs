using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DigitMl.Pretrained;

namespace DigitMl.Experiments.Commands;

/// <summary>The text `info --init` prints: what a weights file holds; for the shipped weights their whole provenance.</summary>
public static class InitialWeightsDescription
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Format(InitialWeightsSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{source.Description}: {source.Kind}");
        long elements = source.Weights.Values.Sum(t => t.ElementCount);
        var dtypes = string.Join(", ", source.Weights.Values.GroupBy(t => t.DType).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
        text.AppendLine(culture, $"  tensors:     {source.Weights.Count} ({elements:N0} values; {dtypes})");
        text.AppendLine(culture, $"  classes:     {(source.Names is { } names ? $"{names.Count} ({string.Join(" ", names)})" : "not recorded in the file")}");
        text.AppendLine(culture, $"  orientations: {source.Orientations}{(source.Orientations == 4 ? " (turn-aware class head: 4 x classes, docs/orientation.md)" : "")}");
        if (source.Metadata is { Count: > 0 } metadata)
            text.AppendLine(culture, $"  metadata:    {string.Join(", ", metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}");
        if (source.Provenance is { } p)
            AppendProvenance(text, p);
        return text.ToString();
    }

    private static void AppendProvenance(StringBuilder text, PretrainedProvenance p)
    {
        var culture = CultureInfo.InvariantCulture;
        var t = p.Training;
        text.AppendLine(culture, $"  file:        {p.File}, {p.Bytes:N0} bytes, {p.Dtype}, sha256 {p.Sha256}");
        text.AppendLine(culture, $"  model:       YOLOv8{p.Model.Scale}, {p.Model.NumClasses} classes x {p.Model.Orientations} orientations, trained at {p.Model.ImageSize} px");
        text.AppendLine(culture, $"  release:     {p.Release}, published {p.CreatedUtc:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(culture, $"  trained:     experiment {t.Experiment} {t.Version}, {t.Epochs} epochs, " +
            $"{(t.Hours is { } h ? $"{h.ToString("0.##", culture)} h" : "hours not recorded")}{(t.Machine is { } m ? $" on {m}" : "")}");
        text.AppendLine(culture, $"  fitness:     {(t.Fitness is { } f ? f.ToString("0.####", culture) : "not validated")} (0.1 mAP50 + 0.9 mAP50-95 on val)");
        if (t.Metrics is JsonObject metrics)
        {
            string test = metrics["test"] is JsonObject t2 ? $"; test: mAP50 {Number(t2["map50"])}, mAP50-95 {Number(t2["map50_95"])}" : "";
            text.AppendLine(culture, $"  val:         mAP50 {Number(metrics["map50"])}, mAP50-95 {Number(metrics["map50_95"])}{test}");
        }
        string counts = t.Data is { } d ? $" ({d["yaml"]}; train {d["train_images"]}, val {d["val_images"]}, test {d["test_images"]} images)" : "";
        text.AppendLine(culture, $"  data:        {t.DataFingerprint ?? "fingerprint not recorded"}{counts}");
        text.AppendLine(culture, $"  git commit:  {t.GitCommit ?? "not recorded"}");
        text.AppendLine(culture, $"  definition:  {t.DefinitionSource ?? "not recorded"}");
        if (t.Definition is { } definition)
            foreach (var line in definition.TrimEnd().Split('\n'))
                text.AppendLine(culture, $"    | {line.TrimEnd('\r')}");
        if (t.Hyperparameters is { Count: > 0 } settings)
            text.AppendLine(culture, $"  settings:    {string.Join(" ", settings.Select(kv => $"{kv.Key}={Value(kv.Value)}"))}");
        text.AppendLine("robustness:");
        if (p.Robustness is null)
            text.AppendLine("  not filled (export --pretrained --robustness SUITE.json)");
        else
            foreach (var line in Table(p.Robustness))
                text.AppendLine(culture, $"  {line}");
    }

    /// <summary>An array of flat rows (or an object holding one) as an aligned table; anything else as indented JSON.</summary>
    private static IEnumerable<string> Table(JsonNode robustness)
    {
        var rows = robustness as JsonArray
            ?? (robustness as JsonObject)?.Select(kv => kv.Value).OfType<JsonArray>().FirstOrDefault();
        if (rows is null || rows.Count == 0 || rows.Any(r => r is not JsonObject o || o.Any(kv => kv.Value is JsonObject or JsonArray)))
            return robustness.ToJsonString(Indented).Split('\n');
        var columns = rows.OfType<JsonObject>().SelectMany(r => r.Select(kv => kv.Key)).Distinct().ToList();
        var cells = rows.OfType<JsonObject>().Select(r => columns.Select(c => Value(r[c])).ToList()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Length, cells.Max(r => r[i].Length))).ToList();
        var lines = new List<string> { string.Join("  ", columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd() };
        lines.AddRange(cells.Select(r => string.Join("  ", r.Select((v, i) => v.PadRight(widths[i]))).TrimEnd()));
        return lines;
    }

    private static string Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string Value(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("0.####", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };
}
