namespace DigitMl.Data;

/// <summary>One detected object: class index and name, confidence, and box in original image pixels.</summary>
public sealed record Detection(int ClassId, string Label, float Score, BoundingBox Box);
