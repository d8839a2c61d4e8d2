using DigitMl.Pipelines.Data;

namespace DigitMl.Pipelines.Augmentation.TrainTime;

/// <summary>A square network-input image and its objects in its pixels.</summary>
public sealed record AugmentedImage(RgbImage Image, IReadOnlyList<LabeledBox> Objects);
