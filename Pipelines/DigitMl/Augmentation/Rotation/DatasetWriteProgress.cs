namespace DigitMl.Augmentation.Rotation;

/// <summary>Progress of writing images: <see cref="Done"/> of <see cref="Total"/>.</summary>
public readonly record struct DatasetWriteProgress(int Done, int Total);
