namespace DigitMl.Data.Scenes;

/// <summary>
/// A handwritten mark that a scene dataset labels as a class of its own after the ten digits (class 10, 11, ...):
/// a minus sign, a decimal point or a plus sign, for tasks such as amounts and readings.
/// </summary>
public sealed record SceneSymbol
{
    private SceneSymbol(string name, char glyph)
    {
        Name = name;
        Glyph = glyph;
    }

    /// <summary>The class name written into data.yaml.</summary>
    public string Name { get; }

    /// <summary>The punctuation glyph the mark is drawn from, never drawn unlabelled once it is a class.</summary>
    public char Glyph { get; }

    public static SceneSymbol Minus { get; } = new("minus", '-');

    public static SceneSymbol Point { get; } = new("point", '.');

    public static SceneSymbol Plus { get; } = new("plus", '+');

    public static IReadOnlyList<SceneSymbol> All { get; } = [Minus, Point, Plus];

    /// <summary>By class name (minus, point, plus) or glyph (-, ., +); throws with the valid names.</summary>
    public static SceneSymbol Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string key = text.Trim();
        return All.FirstOrDefault(s => string.Equals(s.Name, key, StringComparison.OrdinalIgnoreCase) || (key.Length == 1 && key[0] == s.Glyph))
            ?? throw new ArgumentException($"unknown symbol '{text}': use {string.Join(", ", All.Select(s => $"{s.Name} ({s.Glyph})"))}");
    }
}
