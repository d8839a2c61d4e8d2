namespace DigitMl.Experiments.Sweeps;

/// <summary>Command-line level overrides of a sweep.</summary>
public sealed record SweepRunOptions
{
    /// <summary>data.yaml to use instead of the definition's.</summary>
    public string? DataYaml { get; init; }

    /// <summary>Called when the definition asks for the default dataset; returns its data.yaml (generating it if missing).</summary>
    public Func<string>? EnsureDefaultData { get; init; }

    /// <summary>Continue the newest unfinished sweep of the experiment instead of planning a new one.</summary>
    public bool Resume { get; init; }

    /// <summary>Store the versions under this experiment name instead of the definition's.</summary>
    public string? ExperimentName { get; init; }

    public int? MaxTrials { get; init; }

    /// <summary>Leave images with problems out (listed in a report) instead of failing; a resumed sweep keeps its own setting.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>Score the winner on the test split at the end (when the dataset has one).</summary>
    public bool EvaluateWinnerOnTest { get; init; } = true;
}
