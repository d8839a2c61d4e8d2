namespace DigitMl.Data.Scenes;

/// <summary>What <see cref="SceneGenerator"/> draws. Every field is part of the dataset's fingerprint.</summary>
public sealed record SceneOptions
{
    public int Train { get; init; } = 3000;

    public int Val { get; init; } = 500;

    public int Test { get; init; } = 500;

    public int Width { get; init; } = 160;

    public int Height { get; init; } = 160;

    public int Seed { get; init; }

    /// <summary>Smallest digit height (tight ink box) in pixels.</summary>
    public int MinDigitHeight { get; init; } = 14;

    /// <summary>Largest digit height (tight ink box) in pixels; capped by the canvas.</summary>
    public int MaxDigitHeight { get; init; } = 56;

    public int MaxDigits { get; init; } = 6;

    /// <summary>Share of scenes drawn with no digit at all (negatives).</summary>
    public double EmptyFraction { get; init; } = 0.04;

    public static SceneOptions Default { get; } = new();

    public int CountOf(string split) => split switch
    {
        "train" => Train,
        "val" => Val,
        "test" => Test,
        _ => throw new ArgumentException($"unknown split '{split}'", nameof(split)),
    };

    /// <summary>Throws with a message naming the bad option.</summary>
    public void Validate()
    {
        if (Train < 0 || Val < 0 || Test < 0) throw new ArgumentException($"scene counts must not be negative (train {Train}, val {Val}, test {Test})");
        if (Width < 16 || Height < 16 || Width > 8192 || Height > 8192) throw new ArgumentException($"canvas {Width}x{Height} must be between 16 and 8192 pixels per side");
        if (MinDigitHeight < 4) throw new ArgumentException($"min digit height {MinDigitHeight} must be at least 4 px");
        if (MaxDigitHeight < MinDigitHeight) throw new ArgumentException($"max digit height {MaxDigitHeight} is below min digit height {MinDigitHeight}");
        if (MinDigitHeight > Math.Min(Width, Height) - 2) throw new ArgumentException($"min digit height {MinDigitHeight} does not fit a {Width}x{Height} canvas");
        if (MaxDigits < 0) throw new ArgumentException($"max digits {MaxDigits} must not be negative");
        if (EmptyFraction is < 0 or > 1) throw new ArgumentException($"empty fraction {EmptyFraction} must be within 0..1");
    }
}
