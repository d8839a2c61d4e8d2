using System.Text.Json.Nodes;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// config.json of a version: everything needed to reproduce or explain the trial.
/// Hyperparameters keep the registry's keys and order (<see cref="Definitions.HyperParameters"/>).
/// </summary>
public sealed record TrialConfig(
    string Experiment,
    string Version,
    string Trial,
    string Description,
    DateTime CreatedUtc,
    IReadOnlyList<KeyValuePair<string, object?>> Hyperparameters,
    string? InitResolved,
    DatasetDescription Data,
    string RankMetric,
    string GitCommit,
    IReadOnlyDictionary<string, string> Packages,
    MachineInfo Machine,
    string? SweepId,
    string? Strategy)
{
    public const string FileName = "config.json";

    public int Seed => Hyperparameters.FirstOrDefault(kv => kv.Key == "seed").Value is int seed ? seed : 0;

    public JsonObject ToJson()
    {
        var hyper = new JsonObject();
        foreach (var (key, value) in Hyperparameters) hyper[key] = JsonValueOf(value);
        var packages = new JsonObject();
        foreach (var (key, value) in Packages) packages[key] = value;
        return new JsonObject
        {
            ["experiment"] = Experiment,
            ["version"] = Version,
            ["trial"] = Trial,
            ["description"] = Description,
            ["created_utc"] = CreatedUtc.ToString("O"),
            ["seed"] = Seed,
            ["rank_metric"] = RankMetric,
            ["hyperparameters"] = hyper,
            ["init_resolved"] = InitResolved,
            ["data"] = Data.ToJson(),
            ["git_commit"] = GitCommit,
            ["packages"] = packages,
            ["machine"] = new JsonObject
            {
                ["cores"] = Machine.Cores,
                ["os"] = Machine.Os,
                ["architecture"] = Machine.Architecture,
                ["memory_gib"] = Machine.MemoryGiB,
                ["runtime"] = Machine.Runtime,
            },
            ["sweep"] = new JsonObject { ["id"] = SweepId, ["strategy"] = Strategy },
        };
    }

    public void Write(string directory) =>
        JsonFiles.Write(Path.Combine(directory, FileName), ToJson());

    private static JsonNode? JsonValueOf(object? value) => value switch
    {
        null => null,
        int i => i,
        double d => d,
        bool b => b,
        string s => s,
        _ => DigitMl.Training.Settings.Setting.FormatValue(value),
    };
}

/// <summary>The dataset part of config.json.</summary>
public sealed record DatasetDescription(string YamlPath, string Fingerprint, IReadOnlyList<string> Names, int TrainImages, int ValImages, int TestImages)
{
    /// <summary>Images left out by `--skip-invalid` (the image counts above are those kept); null when none were.</summary>
    public SkippedData? Skipped { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["yaml"] = YamlPath,
            ["fingerprint"] = Fingerprint,
            ["names"] = new JsonArray(Names.Select(n => (JsonNode?)n).ToArray()),
            ["train_images"] = TrainImages,
            ["val_images"] = ValImages,
            ["test_images"] = TestImages,
        };
        if (Skipped is { } skipped)
        {
            json["skipped_images"] = skipped.Images;
            json["skipped_problems"] = skipped.Problems;
            json["skip_report"] = skipped.ReportPath;
        }

        return json;
    }
}

/// <summary>What `--skip-invalid` left out of a dataset: images, the problems found in them, and the report that lists them.</summary>
public sealed record SkippedData(int Images, int Problems, string ReportPath)
{
    /// <summary>The images that SkipInvalid left out of the splits read so far, or null when none were.</summary>
    public static SkippedData? Of(DigitMl.Data.YoloDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var problems = dataset.Problems;
        if (problems.Count == 0 || dataset.SkipReportPath is not { } report) return null;
        return new SkippedData(problems.Select(p => p.SkippedImage).OfType<string>().Distinct(StringComparer.Ordinal).Count(), problems.Count, report);
    }

    /// <summary>The line every command prints: never skip silently.</summary>
    public string Describe() => $"skipped {Images} image{(Images == 1 ? "" : "s")} with problems ({Problems} problem{(Problems == 1 ? "" : "s")}), listed in {ReportPath}";
}
