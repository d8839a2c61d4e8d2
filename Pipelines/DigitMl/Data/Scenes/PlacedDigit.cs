namespace DigitMl.Data.Scenes;

/// <summary>One digit drawn in a scene: its class, which MNIST digit it came from, and its tight ink box in pixels.</summary>
public readonly record struct PlacedDigit(int ClassId, int MnistIndex, BoundingBox Box);
