using DigitMl.Augmentation.Rotation;
using DigitMl.Training;

namespace DigitMl.Experiments.Definitions;

/// <summary>
/// Every setting of one trial: the trainer's options (<see cref="YoloV8TrainerOptions"/>, one defaults record) and
/// what an experiment adds around the trainer: the rotation expansion of the training split and smaller subsets.
/// Experiments set these by key through <see cref="HyperParameters"/>.
/// </summary>
public sealed record TrialSettings
{
    public YoloV8TrainerOptions Trainer { get; init; } = new();

    /// <summary>Extra right-angle turns of the training split, canonical form "90,180,270"; empty = none.</summary>
    public string Rotate { get; init; } = "";

    /// <summary>What rotation does with 6 and 9: drop, keep, relabel or turns (turn-aware classes).</summary>
    public string RotatePolicy { get; init; } = "drop";

    /// <summary>Use only the first N training images (null = all): a cheaper trial.</summary>
    public int? TrainImages { get; init; }

    /// <summary>Validate on only the first N validation images (null = all).</summary>
    public int? ValImages { get; init; }

    public IReadOnlyList<int> RotateAngles =>
        Rotate.Length == 0 ? [] : Rotate.Split(',').Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>
    /// The settings as a trial runs them: turn-aware classes (rotate_policy turns with a rotation) train with 4
    /// orientations, anything else with 1.
    /// </summary>
    public TrialSettings Resolved() =>
        this with { Trainer = Trainer with { Orientations = RotateAngles.Count > 0 && RotatePolicy == "turns" ? TurnClasses.Orientations : 1 } };
}
