namespace DigitMl.Data.Scenes;

/// <summary>
/// How the ink varies (`--vary ink.KEY=VALUE`): pen colour, stroke weight, contrast, and light ink on dark
/// ground (chalkboard, inverted scan, white pen on dark paper).
/// </summary>
public sealed record InkVariation
{
    /// <summary>Pen weights for dark-on-light scenes (black, blue, red, pencil grey, green).</summary>
    public double BlackWeight { get; init; } = 0.4;

    public double BlueWeight { get; init; } = 0.3;

    public double RedWeight { get; init; } = 0.1;

    public double PencilWeight { get; init; } = 0.15;

    public double GreenWeight { get; init; } = 0.05;

    /// <summary>Scenes where each row or digit takes its own pen from the weights above (forms filled in by several people).</summary>
    public double MixedPensShare { get; init; } = 0.1;

    /// <summary>Scenes whose strokes are made thinner or bolder (eroded or dilated) by a factor drawn from the range below.</summary>
    public double StrokeWeightShare { get; init; } = 0.4;

    /// <summary>Stroke width change as a multiple of the MNIST stroke: -0.5 halves the width, 1 doubles it.</summary>
    public double MinStrokeWeight { get; init; } = -0.45;

    public double MaxStrokeWeight { get; init; } = 1.0;

    /// <summary>Scenes with faint ink: each digit's darkness drawn from [<see cref="LowContrastDarkness"/>, 0.6] instead of [0.55, 1].</summary>
    public double LowContrastShare { get; init; } = 0.15;

    public double LowContrastDarkness { get; init; } = 0.3;

    /// <summary>Scenes with light ink on a dark ground, chosen by the three weights below.</summary>
    public double LightOnDarkShare { get; init; } = 0.15;

    /// <summary>Chalk on a green or slate board, with smudges of wiped chalk.</summary>
    public double ChalkboardWeight { get; init; } = 1;

    /// <summary>A whole page (paper, lines, ink) inverted, as negative scans and "dark mode" screenshots are.</summary>
    public double InvertedWeight { get; init; } = 1;

    /// <summary>White, silver or pastel gel pen on black, navy or dark brown paper.</summary>
    public double WhitePenWeight { get; init; } = 1;

    /// <summary>No ink variation: today's pens (black, grey, blue ballpoint), darkness 0.55..1.</summary>
    public static InkVariation None { get; } = new()
    {
        MixedPensShare = 0, StrokeWeightShare = 0, LowContrastShare = 0, LightOnDarkShare = 0,
    };

    /// <summary>Strong ink variation, dark on light (the `ink` condition of the robustness suite).</summary>
    public static InkVariation Strong { get; } = new()
    {
        BlackWeight = 0.2, BlueWeight = 0.2, RedWeight = 0.2, PencilWeight = 0.25, GreenWeight = 0.15, MixedPensShare = 0.3,
        StrokeWeightShare = 0.9, MinStrokeWeight = -0.55, MaxStrokeWeight = 1.6, LowContrastShare = 0.4, LightOnDarkShare = 0,
    };

    /// <summary>Every scene light on dark (the `light-on-dark` condition).</summary>
    public static InkVariation LightOnDark { get; } = None with { LightOnDarkShare = 1 };

    internal void Validate()
    {
        VariationChecks.Weight("ink.blackWeight", BlackWeight);
        VariationChecks.Weight("ink.blueWeight", BlueWeight);
        VariationChecks.Weight("ink.redWeight", RedWeight);
        VariationChecks.Weight("ink.pencilWeight", PencilWeight);
        VariationChecks.Weight("ink.greenWeight", GreenWeight);
        VariationChecks.AnyWeight("ink (pen weights)", BlackWeight, BlueWeight, RedWeight, PencilWeight, GreenWeight);
        VariationChecks.Share("ink.mixedPensShare", MixedPensShare);
        VariationChecks.Share("ink.strokeWeightShare", StrokeWeightShare);
        VariationChecks.Range("ink.minStrokeWeight", MinStrokeWeight, -0.7, 3);
        VariationChecks.Range("ink.maxStrokeWeight", MaxStrokeWeight, -0.7, 3);
        VariationChecks.Ordered("ink.minStrokeWeight", MinStrokeWeight, "ink.maxStrokeWeight", MaxStrokeWeight);
        VariationChecks.Share("ink.lowContrastShare", LowContrastShare);
        VariationChecks.Range("ink.lowContrastDarkness", LowContrastDarkness, 0.15, 0.6);
        VariationChecks.Share("ink.lightOnDarkShare", LightOnDarkShare);
        VariationChecks.Weight("ink.chalkboardWeight", ChalkboardWeight);
        VariationChecks.Weight("ink.invertedWeight", InvertedWeight);
        VariationChecks.Weight("ink.whitePenWeight", WhitePenWeight);
        VariationChecks.AnyWeight("ink (light-on-dark weights)", ChalkboardWeight, InvertedWeight, WhitePenWeight);
    }
}
