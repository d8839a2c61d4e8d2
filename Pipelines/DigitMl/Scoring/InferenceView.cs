using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>Which edges of a view lie inside the image (a tile seam), not on the image border.</summary>
[Flags]
public enum ViewEdges
{
    None = 0,
    Left = 1,
    Top = 2,
    Right = 4,
    Bottom = 8,
}

/// <summary>
/// One network input made from an image: the source region (<see cref="SourceX"/>, <see cref="SourceY"/>,
/// <see cref="SourceWidth"/> x <see cref="SourceHeight"/>) resized by <see cref="Scale"/> to
/// <see cref="ResizedWidth"/> x <see cref="ResizedHeight"/>, placed at (<see cref="PadX"/>, <see cref="PadY"/>)
/// in an <see cref="InputWidth"/> x <see cref="InputHeight"/> input padded with gray 114.
/// input = (source - (SourceX, SourceY)) * Scale + (PadX, PadY).
/// </summary>
public readonly record struct InferenceView(
    int SourceX, int SourceY, int SourceWidth, int SourceHeight,
    float Scale, int ResizedWidth, int ResizedHeight, int PadX, int PadY,
    int InputWidth, int InputHeight, ViewEdges InteriorEdges = ViewEdges.None)
{
    /// <summary>The whole image letterboxed to <paramref name="inputWidth"/> x <paramref name="inputHeight"/> as training does.</summary>
    public static InferenceView Letterbox(int width, int height, int inputWidth, int inputHeight)
    {
        var g = LetterboxGeometry.Compute(width, height, inputWidth, inputHeight);
        return new InferenceView(0, 0, width, height, g.Scale, g.ResizedWidth, g.ResizedHeight, g.PadX, g.PadY, inputWidth, inputHeight);
    }

    /// <summary>True when the source pixels are copied without resampling.</summary>
    public bool IsCopy => ResizedWidth == SourceWidth && ResizedHeight == SourceHeight;

    /// <summary>
    /// A box in input pixels -> source image pixels, not clipped. For a whole-image view this is the same arithmetic as
    /// <see cref="LetterboxResult.ToOriginal"/> (the offsets are 0).
    /// </summary>
    public BoundingBox ToSource(BoundingBox box) =>
        new(
            ((box.X0 - PadX) / Scale) + SourceX,
            ((box.Y0 - PadY) / Scale) + SourceY,
            ((box.X1 - PadX) / Scale) + SourceX,
            ((box.Y1 - PadY) / Scale) + SourceY);

    /// <summary>
    /// True when a box (source pixels) reaches within <paramref name="margin"/> source pixels of a seam edge: the
    /// object may be cut by the window and seen whole by a neighbour.
    /// </summary>
    public bool TouchesSeam(BoundingBox box, float margin) =>
        ((InteriorEdges & ViewEdges.Left) != 0 && box.X0 <= SourceX + margin)
        || ((InteriorEdges & ViewEdges.Top) != 0 && box.Y0 <= SourceY + margin)
        || ((InteriorEdges & ViewEdges.Right) != 0 && box.X1 >= SourceX + SourceWidth - margin)
        || ((InteriorEdges & ViewEdges.Bottom) != 0 && box.Y1 >= SourceY + SourceHeight - margin);
}

/// <summary>The views an image is read through and the mode that chose them.</summary>
public sealed record InferencePlan(InferenceMode Mode, IReadOnlyList<InferenceView> Views, int ImageWidth, int ImageHeight);
