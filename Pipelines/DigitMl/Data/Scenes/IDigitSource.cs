namespace DigitMl.Data.Scenes;

/// <summary>
/// Where the digits of a scene come from: MNIST's real handwriting for every split (<see cref="MnistDigitSource"/>),
/// or other sources (handwriting fonts) that are for evaluation only and so may not fill a train or val split.
/// </summary>
public interface IDigitSource
{
    /// <summary>A short stable name, written into the dataset marker.</summary>
    string Name { get; }

    /// <summary>SHA-256 (hex) of everything the digits are drawn from: a changed source regenerates a cached dataset.</summary>
    string Fingerprint { get; }

    /// <summary>False for evaluation-only sources: the generator refuses to draw train or val scenes from them.</summary>
    bool MayTrain { get; }

    /// <summary>The digits a split may use (indices for <see cref="ClassOf"/> and <see cref="Draw"/>).</summary>
    IReadOnlyList<int> Pool(string split);

    int ClassOf(int index);

    /// <summary>The class names, in class-id order (data.yaml's names): the ten digits unless a source adds symbols.</summary>
    IReadOnlyList<string> ClassNames => SceneGenerator.ClassNames;

    /// <summary>
    /// Punctuation glyphs this source labels as classes (<see cref="SymbolDigitSource"/>): the generator then never
    /// draws them as unlabelled separators or distractors, which would teach the model that they are background.
    /// </summary>
    IReadOnlySet<char> LabelledGlyphs => NoGlyphs;

    private static readonly IReadOnlySet<char> NoGlyphs = new HashSet<char>();

    /// <summary>
    /// The digit at <paramref name="index"/> with an ink height of about <paramref name="inkHeight"/> pixels; null
    /// when it has no ink. <paramref name="variant"/> is a random value per drawn digit that a source may use for
    /// its own variation (slant, width); same arguments, same patch.
    /// </summary>
    DigitPatch? Draw(int index, int inkHeight, ulong variant);
}
