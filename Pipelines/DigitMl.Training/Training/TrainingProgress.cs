namespace DigitMl.Training;

/// <summary>What the trainer is doing.</summary>
public enum TrainingPhase
{
    Training,
    Validating,
    EpochCompleted,

    /// <summary>Something worth telling the user (<see cref="TrainingProgress.Note"/>): the precision and threads in use, cores shared with another job.</summary>
    Note,
}

/// <summary>
/// One progress report of <see cref="TrainingLoop.Run"/>: after every batch (phase Training, running mean
/// losses of the epoch), before validation, and after each epoch (with <see cref="Validation"/> filled); phase Note carries a message.
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
    EpochMetrics? Validation = null,
    string? Note = null);
