namespace DigitMl.Data.Scenes;

/// <summary>Scenes written so far out of the total of all splits.</summary>
public readonly record struct SceneGenerationProgress(int Done, int Total);
