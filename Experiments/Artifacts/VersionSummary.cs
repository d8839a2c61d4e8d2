using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

/// <summary>What the leaderboard and compare know about one version, read back from its files.</summary>
public sealed record VersionSummary(
    string Version,
    string Directory,
    TrialStatus Status,
    string? Reason,
    string Trial,
    string Description,
    IReadOnlyList<KeyValuePair<string, string>> Hyperparameters,
    MetricSummary? Val,
    MetricSummary? Test,
    int EpochsRun,
    double TrainSeconds,
    double ImagesPerSecond,
    DateTime CreatedUtc)
{
    public double? Score(string metric) => Status == TrialStatus.Succeeded ? Val?.Get(metric) : null;

    /// <summary>Reads a committed version folder; a folder without trial.json counts as failed (it should not exist).</summary>
    public static VersionSummary Load(string versionDirectory)
    {
        var config = JsonFiles.ReadObject(Path.Combine(versionDirectory, TrialConfig.FileName));
        var outcome = TrialOutcome.Read(versionDirectory);
        var (val, test) = MetricsFile.Read(versionDirectory);
        var hyper = new List<KeyValuePair<string, string>>();
        if (config?["hyperparameters"] is JsonObject parameters)
            foreach (var (key, value) in parameters)
                hyper.Add(new(key, value is JsonValue v ? DigitMl.Training.Settings.Setting.FormatValue(ScalarOf(v)) : ""));
        return new VersionSummary(
            Path.GetFileName(versionDirectory),
            versionDirectory,
            outcome?.Status ?? TrialStatus.Failed,
            outcome is null ? "trial.json missing" : outcome.Reason,
            JsonFiles.Text(config, "trial") ?? "",
            JsonFiles.Text(config, "description") ?? "",
            hyper,
            val,
            test,
            outcome?.EpochsRun ?? 0,
            outcome?.TrainSeconds ?? 0,
            outcome?.ImagesPerSecond ?? 0,
            DateTime.TryParse(JsonFiles.Text(config, "created_utc"), null, System.Globalization.DateTimeStyles.RoundtripKind, out var created) ? created : default);
    }

    private static object? ScalarOf(JsonValue value) =>
        value.TryGetValue<string>(out var s) ? s
        : value.TryGetValue<bool>(out var b) ? b
        : value.TryGetValue<int>(out var i) ? i
        : value.TryGetValue<double>(out var d) ? d
        : value.ToJsonString();
}
