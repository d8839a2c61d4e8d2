namespace DigitMl.Data;

/// <summary>One ground-truth object: a class index into the dataset's names and its box in image pixels.</summary>
public readonly record struct LabeledBox(int ClassId, BoundingBox Box);
