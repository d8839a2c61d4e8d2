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

    /// <summary>
    /// The digit at <paramref name="index"/> with an ink height of about <paramref name="inkHeight"/> pixels; null
    /// when it has no ink. <paramref name="variant"/> is a random value per drawn digit that a source may use for
    /// its own variation (slant, width); same arguments, same patch.
    /// </summary>
    DigitPatch? Draw(int index, int inkHeight, ulong variant);
}
