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

    /// <summary>Largest digit height (tight ink box) in pixels; capped by the canvas. Bold strokes and tilt may add up to a fifth.</summary>
    public int MaxDigitHeight { get; init; } = 56;

    /// <summary>Fewest digits in a scene with digits (scattered layout; rows hold as many as fit, up to Layout.MaxRowDigits).</summary>
    public int MinDigits { get; init; } = 1;

    /// <summary>Most digits in a scattered scene.</summary>
    public int MaxDigits { get; init; } = 6;

    /// <summary>Share of scenes drawn with no digit at all (negatives).</summary>
    public double EmptyFraction { get; init; } = 0.04;

    /// <summary>Domain randomisation: paper, ink, capture, layout and distractors (default: <see cref="SceneVariation.Mixed"/>).</summary>
    public SceneVariation Variation { get; init; } = SceneVariation.Mixed;

    /// <summary>Every scene turned clockwise by this angle (0, 90, 180, 270) as the very last step, boxes turned exactly; labels keep their class.</summary>
    public int QuarterTurn { get; init; }

    public static SceneOptions Default { get; } = new();

    /// <summary>
    /// Page-level sheets (the robustness suite's `sheets`): 800..1600 px a side, 10..50 digits of 20..70 px, in rows
    /// (numbers, dates, meter readings) or scattered, coloured pens, ruled and squared paper, uneven light, some blur.
    /// Only a test split: sheets are for evaluation.
    /// </summary>
    public static SceneOptions Sheets(int count, int seed) => new()
    {
        Train = 0,
        Val = 0,
        Test = count,
        Width = 1600,
        Height = 1600,
        Seed = seed,
        MinDigitHeight = 20,
        MaxDigitHeight = 70,
        MinDigits = 10,
        MaxDigits = 50,
        Variation = SceneVariation.None with
        {
            Paper = PaperVariation.None with { LinedShare = 0.8, RuledWeight = 0.6, SquaredWeight = 0.4, DottedWeight = 0, MarginShare = 0.4, TextureShare = 0.3, OtherLineColourShare = 0.3 },
            Ink = InkVariation.None with { BlackWeight = 0.3, BlueWeight = 0.35, RedWeight = 0.15, PencilWeight = 0.1, GreenWeight = 0.1, MixedPensShare = 0.5, StrokeWeightShare = 0.3 },
            Capture = CaptureVariation.None with { LightingShare = 0.8, ShadowShare = 0.3, DefocusShare = 0.4, MaxDefocusSigma = 2, NoiseShare = 0.4, JpegShare = 0.5, MinJpegQuality = 60, ColourCastShare = 0.3, TiltShare = 0.3, MaxTilt = 0.05, RotationShare = 0.3, MaxRotationDegrees = 4 },
            Layout = LayoutVariation.None with { AspectShare = 1, MaxAspect = 1.6, MinScale = 0.8, RowsShare = 0.7, MaxRowDigits = 50, TouchingShare = 0.2 },
            Distractors = DistractorVariation.None with { Share = 0.6, MaxCount = 12 },
        },
    };

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
        if (MinDigits < 1 || MinDigits > Math.Max(1, MaxDigits)) throw new ArgumentException($"min digits {MinDigits} must be within 1..max digits ({MaxDigits})");
        if (QuarterTurn is not (0 or 90 or 180 or 270)) throw new ArgumentException($"quarter turn {QuarterTurn} must be 0, 90, 180 or 270");
        ArgumentNullException.ThrowIfNull(Variation);
        Variation.Validate();
        if (EmptyFraction is < 0 or > 1) throw new ArgumentException($"empty fraction {EmptyFraction} must be within 0..1");
    }
}
