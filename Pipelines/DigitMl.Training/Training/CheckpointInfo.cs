using DigitMl.Modeling;

namespace DigitMl.Training;

/// <summary>What a checkpoint says about its model: class names, scale, input size and the epochs trained.</summary>
public sealed record CheckpointInfo
{
    public required IReadOnlyList<string> Names { get; init; }

    public required YoloV8Scale Scale { get; init; }

    public required int ImageSize { get; init; }

    /// <summary>Epochs completed when the checkpoint was written.</summary>
    public required int Epoch { get; init; }

    public int RegMax { get; init; } = YoloV8Model.DefaultRegMax;

    /// <summary>1, or 4 for turn-aware classes (docs/orientation.md); the names stay the dataset's.</summary>
    public int Orientations { get; init; } = 1;

    /// <summary>Fitness of these weights (0.1 mAP50 + 0.9 mAP50-95 on val); NaN when not validated.</summary>
    public double Fitness { get; init; } = double.NaN;

    public DateTime CreatedUtc { get; init; } = DateTime.UtcNow;

    public int NumClasses => Names.Count;
}
