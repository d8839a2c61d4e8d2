using System.Text.Json;
using System.Text.Json.Serialization;
using DigitMl.Experiments.Artifacts;

namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// The plan and progress of one sweep, saved after every step to
/// <c>artifacts/&lt;experiment&gt;/sweeps/&lt;id&gt;.json</c>. <c>sweep --resume</c> reloads the newest
/// unfinished one: finished trials are kept, the running one continues from its last checkpoint.
/// </summary>
public sealed class SweepState
{
    private static readonly JsonSerializerOptions Options = JsonFiles.SerializerOptions();

    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("experiment")]
    public string Experiment { get; set; } = "";

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("data_yaml")]
    public string DataYaml { get; set; } = "";

    [JsonPropertyName("data_fingerprint")]
    public string DataFingerprint { get; set; } = "";

    [JsonPropertyName("rank_metric")]
    public string RankMetric { get; set; } = Definitions.RankMetric.Fitness;

    [JsonPropertyName("strategy")]
    public string Strategy { get; set; } = "";

    /// <summary>Successive-halving rung parameters; null when trials are never stopped early.</summary>
    [JsonPropertyName("halving_min_epochs")]
    public int? HalvingMinEpochs { get; set; }

    [JsonPropertyName("halving_eta")]
    public int? HalvingEta { get; set; }

    [JsonPropertyName("max_seconds")]
    public double? MaxSeconds { get; set; }

    /// <summary>Images with problems are left out of the dataset (`--skip-invalid`); --resume loads it the same way.</summary>
    [JsonPropertyName("skip_invalid")]
    public bool SkipInvalid { get; set; }

    [JsonPropertyName("created_utc")]
    public DateTime CreatedUtc { get; set; }

    /// <summary>Wall time spent so far over all sessions (the time budget counts this).</summary>
    [JsonPropertyName("elapsed_seconds")]
    public double ElapsedSeconds { get; set; }

    [JsonPropertyName("winner")]
    public string? Winner { get; set; }

    [JsonPropertyName("test_evaluated")]
    public bool TestEvaluated { get; set; }

    [JsonPropertyName("finished")]
    public bool Finished { get; set; }

    [JsonPropertyName("trials")]
    public List<SweepTrialState> Trials { get; set; } = [];

    public static string Directory(ArtifactStore store, string experiment) =>
        Path.Combine(store.ExperimentDirectory(experiment), "sweeps");

    public string FilePath(ArtifactStore store) => Path.Combine(Directory(store, Experiment), Id + ".json");

    public string LockPath(ArtifactStore store) => Path.Combine(Directory(store, Experiment), Id + ".lock");

    public void Save(ArtifactStore store) => JsonFiles.Write(FilePath(store), this, Options);

    public static SweepState Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SweepState>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}:1: empty sweep state");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid sweep state: {e.Message}", e);
        }
    }

    /// <summary>Unfinished sweeps of an experiment, newest first.</summary>
    public static IReadOnlyList<string> Unfinished(ArtifactStore store, string experiment)
    {
        var directory = Directory(store, experiment);
        if (!System.IO.Directory.Exists(directory)) return [];
        return System.IO.Directory.GetFiles(directory, "*.json")
            .Select(path => (path, state: Load(path)))
            .Where(x => !x.state.Finished)
            .OrderByDescending(x => x.state.CreatedUtc)
            .ThenByDescending(x => x.path, StringComparer.Ordinal)
            .Select(x => x.path)
            .ToList();
    }

    public static string NewId() => $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
}
