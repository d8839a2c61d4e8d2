using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>The samples after rotation augmentation (originals first, in their order, then the rotated copies) and the counts.</summary>
public sealed record RotationExpansion(IReadOnlyList<YoloSample> Samples, RotationReport Report);
