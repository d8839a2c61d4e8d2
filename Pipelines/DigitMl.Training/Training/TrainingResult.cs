namespace DigitMl.Training;

/// <summary>Outcome of <see cref="TrainingLoop.Run"/>.</summary>
public sealed record TrainingResult(
    string BestCheckpoint,
    string LastCheckpoint,
    int EpochsRun,
    EpochMetrics Best,
    IReadOnlyList<EpochMetrics> History,
    double ImagesPerSecond,
    double DataWaitFraction)
{
    /// <summary>True when training ended early: patience ran out or it was cancelled.</summary>
    public bool StoppedEarly { get; init; }

    public string ResultsCsv { get; init; } = "";
}
