using System.Text.Json.Serialization;

namespace DigitMl.Experiments.Sweeps;

/// <summary>One planned trial in the sweep state file, with how far it got.</summary>
public sealed class SweepTrialState
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "ok";
    public const string Failed = "failed";
    public const string Pruned = "pruned";
    public const string Skipped = "skipped";

    [JsonPropertyName("index")]
    public int Index { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    public string Description { get; set; } = "";

    /// <summary>Every hyperparameter as text, so a resumed sweep runs exactly the planned settings.</summary>
    [JsonPropertyName("settings")]
    public Dictionary<string, string> Settings { get; set; } = [];

    [JsonPropertyName("status")]
    public string Status { get; set; } = Pending;

    [JsonPropertyName("version")]
    public int? Version { get; set; }

    /// <summary>The reserved version's temporary folder, relative to the experiment folder.</summary>
    [JsonPropertyName("temp_dir")]
    public string? TemporaryDirectory { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>
    /// Validation fitness after each epoch (index 0 = epoch 1): what successive halving compares. null for an epoch
    /// whose fitness is unknown (trained by a process that was killed before it saved the state, or not finite).
    /// </summary>
    [JsonPropertyName("fitness_by_epoch")]
    public List<double?> FitnessByEpoch { get; set; } = [];

    [JsonIgnore]
    public bool IsDone => Status is Succeeded or Failed or Pruned or Skipped;

    [JsonIgnore]
    public string? VersionName => Version is { } v ? Artifacts.VersionName.Format(v) : null;
}
