using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DigitMl.Evaluation;

namespace DigitMl.Experiments.Suites;

/// <summary>One row of the suite: a set and the model's metrics on it.</summary>
public sealed record SuiteRow(
    [property: JsonPropertyName("condition")] string Condition,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("instances")] int Instances,
    [property: JsonPropertyName("map50")] double Map50,
    [property: JsonPropertyName("map50_95")] double Map50To95,
    [property: JsonPropertyName("map50_95_without_6_9")] double Map50To95Without69,
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    public static SuiteRow From(SuiteCondition condition, DetectionMetrics metrics, double seconds)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(metrics);
        // a 6 turned by 180 degrees is a 9: on turned sets this column shows what the turn costs the other digits
        var others = metrics.PerClass.Where(c => c.Name is not ("6" or "9") && c.Instances > 0).ToList();
        double without = others.Count == 0 ? 0 : others.Average(c => c.Ap50To95);
        return new SuiteRow(condition.Name, condition.Description, metrics.Images, metrics.Instances, metrics.Map50, metrics.Map50To95,
            without, metrics.Precision, metrics.Recall, Math.Round(seconds, 2));
    }
}

/// <summary>The suite's table, as written by `evaluate --suite robustness --json FILE`.</summary>
public sealed record SuiteResult(
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("generator")] string Generator,
    [property: JsonPropertyName("rows")] IReadOnlyList<SuiteRow> Rows)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static SuiteResult FromJson(string json) => JsonSerializer.Deserialize<SuiteResult>(json, JsonOptions)
        ?? throw new InvalidDataException("empty suite result");

    /// <summary>A Markdown table (condition, images, instances, mAP50, mAP50-95, mAP50-95 without 6 and 9) for notes and the README.</summary>
    public string ToMarkdown()
    {
        var text = new System.Text.StringBuilder("| condition | images | instances | mAP50 | mAP50-95 | mAP50-95 w/o 6, 9 |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in Rows)
            text.Append(CultureInfo.InvariantCulture, $"| {r.Condition} | {r.Images} | {r.Instances} | {r.Map50:0.000} | {r.Map50To95:0.000} | {r.Map50To95Without69:0.000} |\n");
        return text.ToString();
    }
}
