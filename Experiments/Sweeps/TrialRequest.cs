using DigitMl.Experiments.Definitions;

namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// One trial to run into <see cref="Directory"/> (the version's temporary folder).
/// <see cref="Resume"/>: the folder holds last.ckpt of an interrupted run; continue from it.
/// <see cref="InitWeights"/>: the resolved starting weights (settings.init after experiment:NAME lookup).
/// <see cref="FinishEarly"/>: when it fires, stop training after the current epoch and finish the trial
/// (evaluate, export) with the epochs done so far: the sweep's time budget ran out.
/// </summary>
public sealed record TrialRequest(
    string Experiment,
    string TrialName,
    TrialSettings Settings,
    string? InitWeights,
    PreparedDataset Data,
    string Directory,
    bool Resume)
{
    public CancellationToken FinishEarly { get; init; }
}
