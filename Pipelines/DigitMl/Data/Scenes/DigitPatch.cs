using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// One digit as an ink-coverage map in 0..1 (an MNIST digit scaled, aspect kept, to a target ink height, or a
/// digit drawn by an <see cref="IDigitSource"/>). Coverage below <see cref="MinCoverage"/> is cut to exactly 0, so
/// the faint fringe never counts as ink; the tight box of coverage &gt; 0 is the digit's box in the patch.
/// </summary>
public sealed class DigitPatch
{
    /// <summary>Scaled MNIST intensity (0..1) that counts as no ink: the faint anti-aliasing fringe is dropped.</summary>
    public const float InkFloor = 0.2f;

    public const float MinCoverage = 0.05f;

    /// <summary>MNIST byte from which a source pixel counts as ink when measuring the digit's height.</summary>
    private const int SourceInkByte = 61; // ~ (InkFloor + MinCoverage * (1 - InkFloor)) * 255

    private DigitPatch(int width, int height, float[] coverage, int boxX0, int boxY0, int boxX1, int boxY1)
    {
        Width = width;
        Height = height;
        Coverage = coverage;
        BoxX0 = boxX0;
        BoxY0 = boxY0;
        BoxX1 = boxX1;
        BoxY1 = boxY1;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major Width x Height ink coverage in 0..1.</summary>
    public float[] Coverage { get; }

    /// <summary>Tight box of coverage &gt; 0 inside the patch, exclusive ends.</summary>
    public int BoxX0 { get; }

    public int BoxY0 { get; }

    public int BoxX1 { get; }

    public int BoxY1 { get; }

    public int BoxWidth => BoxX1 - BoxX0;

    public int BoxHeight => BoxY1 - BoxY0;

    /// <summary>The scaled digit, or null when the source has no ink.</summary>
    public static DigitPatch? Create(ReadOnlySpan<byte> source, int targetInkHeight)
    {
        const int side = MnistDigits.Side;
        int inkTop = side, inkBottom = -1, anyX0 = side, anyX1 = -1, anyY0 = side, anyY1 = -1;
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                byte v = source[(y * side) + x];
                if (v == 0) continue;
                anyX0 = Math.Min(anyX0, x);
                anyX1 = Math.Max(anyX1, x);
                anyY0 = Math.Min(anyY0, y);
                anyY1 = Math.Max(anyY1, y);
                if (v < SourceInkByte) continue;
                inkTop = Math.Min(inkTop, y);
                inkBottom = Math.Max(inkBottom, y);
            }
        }
        if (inkBottom < 0) return null;

        float scale = targetInkHeight / (float)(inkBottom - inkTop + 1);
        // Crop to the non-zero pixels plus one pixel of zeros, so the interpolation fades to nothing at the edges.
        int cx0 = Math.Max(0, anyX0 - 1), cy0 = Math.Max(0, anyY0 - 1);
        int cw = Math.Min(side, anyX1 + 2) - cx0, ch = Math.Min(side, anyY1 + 2) - cy0;
        int width = Math.Max(1, (int)MathF.Round(cw * scale));
        int height = Math.Max(1, (int)MathF.Round(ch * scale));
        float stepX = cw / (float)width, stepY = ch / (float)height;
        // Shrinking skips source pixels with plain bilinear sampling: average 2x2 samples then.
        int samples = scale < 1 ? 2 : 1;
        float weight = 1f / (samples * samples);

        var coverage = new float[width * height];
        int bx0 = width, by0 = height, bx1 = -1, by1 = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int sy = 0; sy < samples; sy++)
                {
                    float srcY = cy0 + ((y + ((sy + 0.5f) / samples)) * stepY) - 0.5f;
                    for (int sx = 0; sx < samples; sx++)
                    {
                        float srcX = cx0 + ((x + ((sx + 0.5f) / samples)) * stepX) - 0.5f;
                        sum += Bilinear(source, srcX, srcY);
                    }
                }
                float c = ((sum * weight / 255f) - InkFloor) / (1 - InkFloor);
                if (c < MinCoverage) continue;
                coverage[(y * width) + x] = Math.Min(1f, c);
                bx0 = Math.Min(bx0, x);
                bx1 = Math.Max(bx1, x);
                by0 = Math.Min(by0, y);
                by1 = Math.Max(by1, y);
            }
        }
        return bx1 < 0 ? null : new DigitPatch(width, height, coverage, bx0, by0, bx1 + 1, by1 + 1);
    }

    /// <summary>A patch from any coverage map (row-major, 0..1; values below <see cref="MinCoverage"/> become 0), or null without ink.</summary>
    public static DigitPatch? FromCoverage(int width, int height, float[] coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        if (coverage.Length != width * height) throw new ArgumentException($"expected {width * height} coverage values, got {coverage.Length}", nameof(coverage));
        var copy = new float[coverage.Length];
        int bx0 = width, by0 = height, bx1 = -1, by1 = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float c = coverage[(y * width) + x];
                if (!(c >= MinCoverage)) continue;
                copy[(y * width) + x] = Math.Min(1f, c);
                bx0 = Math.Min(bx0, x);
                bx1 = Math.Max(bx1, x);
                by0 = Math.Min(by0, y);
                by1 = Math.Max(by1, y);
            }
        }
        return bx1 < 0 ? null : new DigitPatch(width, height, copy, bx0, by0, bx1 + 1, by1 + 1);
    }

    /// <summary>
    /// The digit with its strokes made bolder (<paramref name="radius"/> &gt; 0: grey-level dilation) or thinner
    /// (&lt; 0: erosion) by about |radius| pixels on each side; fractional radii blend the last step. Returns this
    /// patch unchanged when erosion would wipe the digit out.
    /// </summary>
    public DigitPatch WithStrokeWeight(float radius)
    {
        if (radius == 0) return this;
        int steps = (int)MathF.Ceiling(MathF.Abs(radius));
        float last = MathF.Abs(radius) - (steps - 1);
        int pad = radius > 0 ? steps : 0;
        int w = Width + (2 * pad), h = Height + (2 * pad);
        var current = new float[w * h];
        for (int y = 0; y < Height; y++)
            Array.Copy(Coverage, y * Width, current, ((y + pad) * w) + pad, Width);
        var next = new float[w * h];
        for (int step = 0; step < steps; step++)
        {
            // alternate 4- and 8-neighbourhoods so that repeated steps grow roughly round, not square
            bool square = step % 2 == 1;
            float blend = step == steps - 1 ? last : 1;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    float v = current[(y * w) + x], m = v;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            if ((dx == 0 && dy == 0) || (!square && dx != 0 && dy != 0)) continue;
                            int nx = x + dx, ny = y + dy;
                            float n = (uint)nx < (uint)w && (uint)ny < (uint)h ? current[(ny * w) + nx] : 0;
                            m = radius > 0 ? Math.Max(m, n) : Math.Min(m, n);
                        }
                    }
                    next[(y * w) + x] = v + ((m - v) * blend);
                }
            }
            (current, next) = (next, current);
        }
        var result = FromCoverage(w, h, current);
        // erosion that removes most of the ink (a thin digit at a small size) would leave specks: keep the digit
        return result is null || (radius < 0 && result.BoxHeight < BoxHeight * 3 / 4) ? this : result;
    }

    /// <summary>Sum of the coverage (the amount of ink).</summary>
    public float InkSum()
    {
        float sum = 0;
        foreach (float c in Coverage) sum += c;
        return sum;
    }

    private static float Bilinear(ReadOnlySpan<byte> source, float x, float y)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        float top = (At(source, x0, y0) * (1 - fx)) + (At(source, x0 + 1, y0) * fx);
        float bottom = (At(source, x0, y0 + 1) * (1 - fx)) + (At(source, x0 + 1, y0 + 1) * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }

    private static float At(ReadOnlySpan<byte> source, int x, int y) =>
        (uint)x < MnistDigits.Side && (uint)y < MnistDigits.Side ? source[(y * MnistDigits.Side) + x] : 0;
}
