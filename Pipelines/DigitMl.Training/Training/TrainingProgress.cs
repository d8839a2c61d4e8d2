namespace DigitMl.Training;

/// <summary>What the trainer is doing.</summary>
public enum TrainingPhase
{
    Training,
    Validating,
    EpochCompleted,
}

/// <summary>
/// One progress report of <see cref="TrainingLoop.Run"/>: after every batch (phase Training, running mean
/// losses of the epoch), before validation, and after each epoch (with <see cref="Validation"/> filled).
/// </summary>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    float BoxLoss,
    float ClsLoss,
    float DflLoss,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Eta,
    EpochMetrics? Validation = null);
