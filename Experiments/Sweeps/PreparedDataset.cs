using DigitMl.Experiments.Artifacts;

namespace DigitMl.Experiments.Sweeps;

/// <summary>A dataset loaded once per sweep: its description for config.json and the executor's own handle to it.</summary>
public sealed record PreparedDataset(DatasetDescription Description, bool HasTestSplit, object? Handle = null)
{
    public string YamlPath => Description.YamlPath;

    /// <summary>What `--skip-invalid` left out; null when nothing was skipped.</summary>
    public SkippedData? Skipped => Description.Skipped;
}
