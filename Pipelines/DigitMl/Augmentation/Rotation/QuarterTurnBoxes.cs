using System.Numerics;
using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// Exact box transforms for clockwise quarter turns, matching <see cref="ImageRotation.RotateClockwise"/>:
/// a 90-degree turn moves pixel (x, y) of a W x H image to (H - 1 - y, x) of the H x W result, so a box
/// with continuous pixel edges (x0, y0, x1, y1) becomes (H - y1, x0, H - y0, x1).
/// </summary>
/// <remarks>
/// <para>Why boxes are snapped to a grid first. With float coordinates, <c>H - y</c> is not always
/// representable (for y = 0.1f and H = 64 the difference needs more than 24 significant bits), and no
/// float-to-float map close to <c>H - y</c> can be one-to-one: there are far more floats in [0, H/2) than in
/// (H/2, H]. So "four turns give the original bits" cannot hold for arbitrary floats. It does hold on a
/// dyadic grid: every coordinate is first rounded to a multiple of <see cref="GridStep"/> (a power of two
/// chosen from max(W, H) so that all grid values up to 4 * max(W, H) in magnitude have at most 24
/// significant bits). Grid values are closed under <c>W - v</c> and <c>H - v</c>, every subtraction is
/// then exact, and the transforms form an exact group: four 90-degree turns, 90 then 270, and two 180s are
/// the identity bit for bit. The snap moves a coordinate by at most half a step (2^-17 pixel for images up
/// to 64 pixels, 2^-13 for 1024), far below anything a detector can see. A turn by 0 returns the box
/// untouched, so unrotated samples keep their exact label values.</para>
/// <para>Exactness is guaranteed for coordinates within [-2 * max(W, H), 2 * max(W, H)] (then every
/// W - v and H - v stays within 3 * max(W, H)) and sides up to 2^22 pixels (so that the step divides the
/// integer sizes); negative zero is normalised to +0.</para>
/// </remarks>
public static class QuarterTurnBoxes
{
    /// <summary>Size of the image after turning a <paramref name="width"/> x <paramref name="height"/> image clockwise.</summary>
    public static (int Width, int Height) RotatedSize(int width, int height, int degrees) =>
        ImageRotation.NormalizeQuarterTurns(degrees) % 2 == 1 ? (height, width) : (width, height);

    /// <summary>
    /// The grid (a power of two, in pixels) on which turned boxes live for an image of this size. It depends
    /// only on max(width, height), so it is the same before and after a turn.
    /// </summary>
    public static double GridStep(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long bound = 4L * Math.Max(width, height);
        int exponent = BitOperations.Log2((ulong)(bound - 1)) + 1; // ceil(log2(bound))
        return Math.ScaleB(1.0, exponent - 24);
    }

    /// <summary>Rounds every coordinate to the nearest multiple of <see cref="GridStep"/> (ties to even).</summary>
    public static BoundingBox Snap(BoundingBox box, int width, int height)
    {
        double step = GridStep(width, height);
        return new BoundingBox(
            SnapValue(box.X0, step), SnapValue(box.Y0, step), SnapValue(box.X1, step), SnapValue(box.Y1, step));
    }

    /// <summary>
    /// The box in the image turned clockwise by <paramref name="degrees"/> (a multiple of 90);
    /// <paramref name="width"/> and <paramref name="height"/> are the size of the image BEFORE the turn.
    /// </summary>
    public static BoundingBox Rotate(BoundingBox box, int width, int height, int degrees)
    {
        int turns = ImageRotation.NormalizeQuarterTurns(degrees);
        if (turns == 0) return box;
        if (!float.IsFinite(box.X0) || !float.IsFinite(box.Y0) || !float.IsFinite(box.X1) || !float.IsFinite(box.Y1))
            throw new ArgumentException($"box {box} has a non-finite coordinate", nameof(box));
        var b = Snap(box, width, height);
        // On the grid every difference below is exact in double and again exactly representable as float.
        double w = width, h = height;
        return turns switch
        {
            1 => new BoundingBox((float)(h - b.Y1), b.X0, (float)(h - b.Y0), b.X1),
            2 => new BoundingBox((float)(w - b.X1), (float)(h - b.Y1), (float)(w - b.X0), (float)(h - b.Y0)),
            _ => new BoundingBox(b.Y0, (float)(w - b.X1), b.Y1, (float)(w - b.X0)),
        };
    }

    private static float SnapValue(float value, double step) =>
        (float)((Math.Round(value / step, MidpointRounding.ToEven) * step) + 0.0); // + 0.0 turns -0 into +0
}
