using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// metrics.json of a version: the validation metrics at the top level (ARCHITECTURE.md keys) and, once the
/// version has been scored on the test split, the same keys under "test".
/// </summary>
public static class MetricsFile
{
    public const string FileName = "metrics.json";

    public static (MetricSummary? Val, MetricSummary? Test) Read(string versionDirectory)
    {
        var json = JsonFiles.ReadObject(Path.Combine(versionDirectory, FileName));
        return (MetricSummary.FromJson(json), MetricSummary.FromJson(json?["test"]));
    }

    /// <summary>Adds (or replaces) the "test" section; the rewrite is atomic.</summary>
    public static void AddTest(string versionDirectory, string testMetricsJson)
    {
        var path = Path.Combine(versionDirectory, FileName);
        var json = JsonFiles.ReadObject(path) ?? new JsonObject();
        var test = JsonNode.Parse(testMetricsJson) as JsonObject ?? throw new ArgumentException("test metrics must be a JSON object", nameof(testMetricsJson));
        test.Remove("test");
        json["test"] = test;
        JsonFiles.Write(path, json);
    }
}
