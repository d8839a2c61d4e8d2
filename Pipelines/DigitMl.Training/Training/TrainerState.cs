namespace DigitMl.Training;

/// <summary>The trainer's own state stored in a checkpoint so that a resumed run continues exactly.</summary>
internal sealed record TrainerState
{
    public required string OptimizerName { get; init; }

    public required long EmaUpdates { get; init; }

    public required double BestFitness { get; init; }

    public required int BestEpoch { get; init; }

    /// <summary>Optimizer steps taken (the warmup and accumulation schedule depend on it).</summary>
    public required long OptimizerSteps { get; init; }

    public required IReadOnlyList<EpochMetrics> History { get; init; }

    public required int Seed { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }
}
