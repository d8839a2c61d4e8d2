using System.Text.Json;

namespace DigitMl.Evaluation;

/// <summary>The contract part of a metrics.json read back (for leaderboards and comparisons).</summary>
public sealed record MetricsSummary(
    double Map50,
    double Map50To95,
    double Precision,
    double Recall,
    double F1,
    double ConfAtBestF1,
    int Images,
    int Instances,
    IReadOnlyList<MetricsSummary.ClassSummary> PerClass)
{
    public double Fitness => (0.1 * Map50) + (0.9 * Map50To95);

    public sealed record ClassSummary(string Name, int Instances, double Ap50, double Ap50To95);

    /// <summary>Reads the keys of ARCHITECTURE.md from a metrics.json; a missing key fails naming the file and the key.</summary>
    public static MetricsSummary Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"metrics file not found: {path}", path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return FromJson(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>Parses metrics.json text (<paramref name="source"/> names it in error messages).</summary>
    public static MetricsSummary Parse(string json, string source = "metrics.json")
    {
        using var doc = JsonDocument.Parse(json);
        return FromJson(doc.RootElement, source);
    }

    private static MetricsSummary FromJson(JsonElement root, string source)
    {
        JsonElement Get(JsonElement e, string key) =>
            e.TryGetProperty(key, out var v) ? v : throw new InvalidDataException($"{source}: key '{key}' is missing");
        var perClass = Get(root, "per_class").EnumerateArray()
            .Select(c => new ClassSummary(Get(c, "name").GetString() ?? "", Get(c, "instances").GetInt32(), Get(c, "ap50").GetDouble(), Get(c, "ap50_95").GetDouble()))
            .ToArray();
        return new MetricsSummary(
            Get(root, "map50").GetDouble(), Get(root, "map50_95").GetDouble(), Get(root, "precision").GetDouble(),
            Get(root, "recall").GetDouble(), Get(root, "f1").GetDouble(), Get(root, "conf_at_best_f1").GetDouble(),
            Get(root, "images").GetInt32(), Get(root, "instances").GetInt32(), perClass);
    }
}
