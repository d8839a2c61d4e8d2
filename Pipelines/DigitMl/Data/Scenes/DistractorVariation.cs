namespace DigitMl.Data.Scenes;

/// <summary>
/// Marks that are not digits and are never labelled (`--vary distractors.KEY=VALUE`): handwritten letters and
/// punctuation drawn from strokes that no digit is made of (A, E, F, H, K, M, N, R, T, V, W, X, Y, m, n, r, u, v,
/// w, x; . , : ; - + = ( ) # * ?), lines (underlines, wavy lines), boxes and check boxes, ticks and crosses.
/// Handwritten marks use the scene's pen. They are placed clear of every digit.
/// </summary>
public sealed record DistractorVariation
{
    /// <summary>Scenes with 1..<see cref="MaxCount"/> distractors.</summary>
    public double Share { get; init; } = 0.35;

    public int MaxCount { get; init; } = 6;

    public double LetterWeight { get; init; } = 0.35;

    public double PunctuationWeight { get; init; } = 0.2;

    public double LineWeight { get; init; } = 0.15;

    public double BoxWeight { get; init; } = 0.15;

    public double TickWeight { get; init; } = 0.15;

    public static DistractorVariation None { get; } = new() { Share = 0 };

    /// <summary>Every scene with 3..10 distractors (the `distractors` condition).</summary>
    public static DistractorVariation Strong { get; } = new() { Share = 1, MaxCount = 10 };

    internal void Validate()
    {
        VariationChecks.Share("distractors.share", Share);
        VariationChecks.Range("distractors.maxCount", MaxCount, 1, 200);
        VariationChecks.Weight("distractors.letterWeight", LetterWeight);
        VariationChecks.Weight("distractors.punctuationWeight", PunctuationWeight);
        VariationChecks.Weight("distractors.lineWeight", LineWeight);
        VariationChecks.Weight("distractors.boxWeight", BoxWeight);
        VariationChecks.Weight("distractors.tickWeight", TickWeight);
        VariationChecks.AnyWeight("distractors (kind weights)", LetterWeight, PunctuationWeight, LineWeight, BoxWeight, TickWeight);
    }
}
