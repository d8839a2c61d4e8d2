using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>A square network-input image and its objects in its pixels.</summary>
public sealed record AugmentedImage(RgbImage Image, IReadOnlyList<LabeledBox> Objects);
