using DigitMl.Pipelines.Data;

namespace DigitMl.Pipelines.Augmentation.Rotation;

/// <summary>The samples after rotation augmentation (originals first, in their order, then the rotated copies) and the counts.</summary>
public sealed record RotationExpansion(IReadOnlyList<YoloSample> Samples, RotationReport Report);
