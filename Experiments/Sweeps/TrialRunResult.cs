using DigitMl.Experiments.Artifacts;

namespace DigitMl.Experiments.Sweeps;

/// <summary>What a finished trial reports back; its files (metrics.json, model.zip, ...) are already in the trial folder.</summary>
public sealed record TrialRunResult(MetricSummary Val, int EpochsRun, int? BestEpoch, double ImagesPerSecond);
