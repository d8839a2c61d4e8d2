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

    /// <summary>The precision the network was trained in: fp32 or bf16 (<see cref="TrainingPrecision"/>).</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>libtorch threads at the end of training.</summary>
    public int Threads { get; init; }

    /// <summary>Wall time of the training steps by phase, over all epochs of this run (validation and checkpoints not included).</summary>
    public StepProfile Profile { get; init; } = new();
}
