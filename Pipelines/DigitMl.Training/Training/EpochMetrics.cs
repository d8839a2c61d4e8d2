namespace DigitMl.Training;

/// <summary>One epoch's row of results.csv: mean training losses, validation metrics of the EMA weights, learning rates, speed.</summary>
public sealed record EpochMetrics
{
    /// <summary>1-based epoch number.</summary>
    public required int Epoch { get; init; }

    public required float TrainBoxLoss { get; init; }

    public required float TrainClsLoss { get; init; }

    public required float TrainDflLoss { get; init; }

    public double Precision { get; init; }

    public double Recall { get; init; }

    public double Map50 { get; init; }

    public double Map50To95 { get; init; }

    public float ValBoxLoss { get; init; }

    public float ValClsLoss { get; init; }

    public float ValDflLoss { get; init; }

    /// <summary>Learning rate of the three parameter groups (biases, decayed weights, norm weights) at the end of the epoch.</summary>
    public required IReadOnlyList<double> LearningRates { get; init; }

    /// <summary>Training images per second over the epoch (wall time of the training loop, validation excluded).</summary>
    public required double ImagesPerSecond { get; init; }

    /// <summary>Fraction of the training loop's time spent waiting for the next batch.</summary>
    public required double DataWaitFraction { get; init; }

    public double ValidationSeconds { get; init; }

    /// <summary>0.1 * mAP50 + 0.9 * mAP50-95 (the reference's fitness).</summary>
    public double Fitness => (0.1 * Map50) + (0.9 * Map50To95);
}
