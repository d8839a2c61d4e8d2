using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

/// <summary>The headline numbers of one evaluation (the metrics.json keys of ARCHITECTURE.md).</summary>
public sealed record MetricSummary(double Map50, double Map50To95, double Precision, double Recall, double F1, int Images, int Instances)
{
    /// <summary>Ultralytics' model fitness: 0.1*mAP50 + 0.9*mAP50-95.</summary>
    public double Fitness => (0.1 * Map50) + (0.9 * Map50To95);

    public double Get(string metric) => metric switch
    {
        "fitness" => Fitness,
        "map50" => Map50,
        "map50_95" => Map50To95,
        "precision" => Precision,
        "recall" => Recall,
        "f1" => F1,
        _ => throw new ArgumentException($"unknown metric '{metric}'", nameof(metric)),
    };

    public static MetricSummary? FromJson(JsonNode? node) =>
        node is null || JsonFiles.Number(node, "map50") is null
            ? null
            : new MetricSummary(
                JsonFiles.Number(node, "map50") ?? 0,
                JsonFiles.Number(node, "map50_95") ?? 0,
                JsonFiles.Number(node, "precision") ?? 0,
                JsonFiles.Number(node, "recall") ?? 0,
                JsonFiles.Number(node, "f1") ?? 0,
                (int)(JsonFiles.Number(node, "images") ?? 0),
                (int)(JsonFiles.Number(node, "instances") ?? 0));
}
