namespace DigitMl.Data;

/// <summary>A split named in data.yaml (its key and line) and the absolute paths it resolved to: folders, .txt image lists or images.</summary>
public sealed record SplitSource(string Name, int YamlLine, IReadOnlyList<string> Paths);
