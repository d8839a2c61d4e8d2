namespace DigitMl.Data;

/// <summary>
/// A letterboxed image and how it maps to the source: letterbox = source * <see cref="Scale"/> + (<see cref="PadX"/>, <see cref="PadY"/>).
/// </summary>
public sealed record LetterboxResult(RgbImage Image, float Scale, float PadX, float PadY)
{
    /// <summary>Size of the source image (0 when unknown); <see cref="ToOriginal"/> clips to it when known.</summary>
    public int SourceWidth { get; init; }

    public int SourceHeight { get; init; }

    /// <summary>A box in source pixels -> letterboxed pixels.</summary>
    public BoundingBox ToLetterbox(BoundingBox box) =>
        new((box.X0 * Scale) + PadX, (box.Y0 * Scale) + PadY, (box.X1 * Scale) + PadX, (box.Y1 * Scale) + PadY);

    /// <summary>A box in letterboxed pixels (e.g. a detection) -> source pixels, clipped to the source image when its size is known.</summary>
    public BoundingBox ToOriginal(BoundingBox box)
    {
        var mapped = new BoundingBox((box.X0 - PadX) / Scale, (box.Y0 - PadY) / Scale, (box.X1 - PadX) / Scale, (box.Y1 - PadY) / Scale);
        if (SourceWidth <= 0 || SourceHeight <= 0) return mapped;
        return new BoundingBox(
            Math.Clamp(mapped.X0, 0, SourceWidth), Math.Clamp(mapped.Y0, 0, SourceHeight),
            Math.Clamp(mapped.X1, 0, SourceWidth), Math.Clamp(mapped.Y1, 0, SourceHeight));
    }
}
