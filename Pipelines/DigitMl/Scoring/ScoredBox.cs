using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>A candidate or kept detection before class names are attached: class index, confidence, box in pixels.</summary>
public readonly record struct ScoredBox(int ClassId, float Score, BoundingBox Box);
