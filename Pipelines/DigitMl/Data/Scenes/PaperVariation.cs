namespace DigitMl.Data.Scenes;

/// <summary>
/// How the paper varies (`--vary paper.KEY=VALUE`). Shares are the fraction of (non-plain) scenes that get the
/// effect; each scene draws its own strengths from the ranges. See docs/scenes.md for pictures.
/// </summary>
public sealed record PaperVariation
{
    /// <summary>Scenes with printed lines: ruled, squared or dotted, chosen by the three weights below.</summary>
    public double LinedShare { get; init; } = 0.5;

    public double RuledWeight { get; init; } = 0.5;

    public double SquaredWeight { get; init; } = 0.3;

    public double DottedWeight { get; init; } = 0.2;

    /// <summary>Lined pages whose lines are grey, red, green, purple or black instead of the usual light blue.</summary>
    public double OtherLineColourShare { get; init; } = 0.4;

    /// <summary>Scenes with a vertical margin line (red or pink, sometimes doubled, sometimes another colour).</summary>
    public double MarginShare { get; init; } = 0.25;

    /// <summary>Coloured paper: sticky-note yellow, pink, light blue, green, orange, kraft brown, grey recycled.</summary>
    public double ColouredShare { get; init; } = 0.15;

    /// <summary>Textured paper: fibres, recycled or cardboard grain, up to <see cref="MaxTexture"/> levels of contrast.</summary>
    public double TextureShare { get; init; } = 0.3;

    /// <summary>Largest texture contrast in 8-bit levels (each textured scene draws from 4..this).</summary>
    public double MaxTexture { get; init; } = 24;

    /// <summary>Scenes with 1-3 stains (coffee rings, water marks, blotches).</summary>
    public double StainShare { get; init; } = 0.1;

    /// <summary>Scenes with 1-2 creases (fold lines with a light and a shaded side).</summary>
    public double CreaseShare { get; init; } = 0.1;

    /// <summary>All shares 0: today's plain paper only (tone, tint, grain, 30% light ruling).</summary>
    public static PaperVariation None { get; } = new()
    {
        LinedShare = 0, OtherLineColourShare = 0, MarginShare = 0, ColouredShare = 0, TextureShare = 0, StainShare = 0, CreaseShare = 0,
    };

    /// <summary>Every paper effect at a strong setting (the `paper` condition of the robustness suite).</summary>
    public static PaperVariation Strong { get; } = new()
    {
        LinedShare = 0.9, OtherLineColourShare = 0.6, MarginShare = 0.5, ColouredShare = 0.5, TextureShare = 0.8, MaxTexture = 36,
        StainShare = 0.6, CreaseShare = 0.6,
    };

    internal void Validate()
    {
        VariationChecks.Share("paper.linedShare", LinedShare);
        VariationChecks.Weight("paper.ruledWeight", RuledWeight);
        VariationChecks.Weight("paper.squaredWeight", SquaredWeight);
        VariationChecks.Weight("paper.dottedWeight", DottedWeight);
        VariationChecks.AnyWeight("paper (ruled/squared/dotted weights)", RuledWeight, SquaredWeight, DottedWeight);
        VariationChecks.Share("paper.otherLineColourShare", OtherLineColourShare);
        VariationChecks.Share("paper.marginShare", MarginShare);
        VariationChecks.Share("paper.colouredShare", ColouredShare);
        VariationChecks.Share("paper.textureShare", TextureShare);
        VariationChecks.Range("paper.maxTexture", MaxTexture, 4, 80);
        VariationChecks.Share("paper.stainShare", StainShare);
        VariationChecks.Share("paper.creaseShare", CreaseShare);
    }
}
