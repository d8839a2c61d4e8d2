namespace DigitMl.Data.Scenes;

/// <summary>One generated scene: its split, its image file (relative to the dataset root) and its digits.</summary>
public sealed record SceneRecord(string Split, int Index, string ImagePath, IReadOnlyList<PlacedDigit> Digits);
