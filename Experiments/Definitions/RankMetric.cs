namespace DigitMl.Experiments.Definitions;

/// <summary>Validation metrics a sweep can rank by (all "higher is better"), by their metrics.json key.</summary>
public static class RankMetric
{
    public const string Fitness = "fitness";

    public static IReadOnlyList<string> All { get; } = ["fitness", "map50", "map50_95", "precision", "recall", "f1"];

    public static string Normalize(string name)
    {
        var key = name.Trim().ToLowerInvariant().Replace('-', '_') switch
        {
            "map50_95" or "map5095" or "map" => "map50_95",
            var other => other,
        };
        return All.Contains(key) ? key : throw new ArgumentException($"unknown rank metric '{name}'; use one of {string.Join(", ", All)}");
    }
}
