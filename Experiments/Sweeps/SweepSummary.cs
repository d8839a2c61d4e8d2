using DigitMl.Experiments.Artifacts;

namespace DigitMl.Experiments.Sweeps;

/// <summary>The result of a sweep: its trials, and the experiment's best version after it (null if none succeeded).</summary>
public sealed record SweepSummary(SweepState State, string ExperimentDirectory, VersionSummary? Best, TimeSpan Elapsed)
{
    public IReadOnlyList<SweepTrialState> Trials => State.Trials;

    /// <summary>What `--skip-invalid` left out of the dataset; null when nothing was skipped.</summary>
    public SkippedData? Skipped { get; init; }

    public int Count(string status) => State.Trials.Count(t => t.Status == status);
}
