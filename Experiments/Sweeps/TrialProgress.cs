namespace DigitMl.Experiments.Sweeps;

public enum TrialProgressKind
{
    /// <summary>A training batch finished.</summary>
    Batch,

    /// <summary>An epoch finished and was validated (<see cref="TrialProgress.Fitness"/> is set).</summary>
    Epoch,

    /// <summary>Training paused to validate the epoch's weights.</summary>
    Validating,

    /// <summary>The trial moved to another step (evaluating, plotting, exporting).</summary>
    Phase,
}

/// <summary>
/// What the console shows about a running trial; the trial executor translates the trainer's progress
/// into this so the display does not depend on the trainer's types. Epochs are 1-based.
/// </summary>
public sealed record TrialProgress(
    TrialProgressKind Kind,
    int Epoch,
    int Epochs,
    int Batch = 0,
    int Batches = 0,
    double BoxLoss = double.NaN,
    double ClassLoss = double.NaN,
    double DflLoss = double.NaN,
    double ImagesPerSecond = 0,
    double? Fitness = null,
    double? Map50 = null,
    double? Map50To95 = null,
    string? Phase = null);
