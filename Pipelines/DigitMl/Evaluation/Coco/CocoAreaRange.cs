namespace DigitMl.Evaluation.Coco;

/// <summary>
/// An object-size bucket of the COCO evaluation: boxes whose area (width x height in pixels of the original image)
/// lies within [<see cref="Min"/>, <see cref="Max"/>], both ends included, as COCO compares them.
/// </summary>
public sealed record CocoAreaRange(string Name, double Min, double Max)
{
    /// <summary>Every box (COCO's upper end, 1e5 squared).</summary>
    public static CocoAreaRange All { get; } = new("all", 0, 1e10);

    /// <summary>Area up to 32 x 32 pixels.</summary>
    public static CocoAreaRange Small { get; } = new("small", 0, 32 * 32);

    /// <summary>Area from 32 x 32 to 96 x 96 pixels.</summary>
    public static CocoAreaRange Medium { get; } = new("medium", 32 * 32, 96 * 96);

    /// <summary>Area from 96 x 96 pixels up.</summary>
    public static CocoAreaRange Large { get; } = new("large", 96 * 96, 1e10);

    /// <summary>A box of this area is outside the range (COCO then ignores an unmatched ground-truth box or detection of it).</summary>
    public bool Excludes(double area) => area < Min || area > Max;
}
