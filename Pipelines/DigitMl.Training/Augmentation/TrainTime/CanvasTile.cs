using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>
/// An image placed on a virtual canvas: scaled by <see cref="Scale"/>, its top-left corner at
/// (<see cref="OffsetX"/>, <see cref="OffsetY"/>) and visible only inside the clip rectangle.
/// </summary>
public sealed record CanvasTile(RgbImage Image, double Scale, double OffsetX, double OffsetY, BoundingBox Clip)
{
    /// <summary>The tile's pixel as a canvas box (image pixels to canvas pixels).</summary>
    public BoundingBox ToCanvas(BoundingBox box) => new(
        (float)((box.X0 * Scale) + OffsetX), (float)((box.Y0 * Scale) + OffsetY),
        (float)((box.X1 * Scale) + OffsetX), (float)((box.Y1 * Scale) + OffsetY));

    public bool Contains(double x, double y) => x >= Clip.X0 && x < Clip.X1 && y >= Clip.Y0 && y < Clip.Y1;
}
