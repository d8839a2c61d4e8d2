using System.Runtime.CompilerServices;
using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>
/// Renders an output image from a virtual canvas of tiles through an affine map in one pass: each output pixel
/// centre is mapped back to the canvas, then into the tile that covers it, and sampled bilinearly. Canvas
/// areas without a tile are gray 114, as the letterbox padding. Building the canvas lazily avoids allocating
/// the 2x-size mosaic the reference draws.
/// </summary>
/// <remarks>
/// This runs for every training image on the training thread (docs/training.md, "Throughput"), so the loop is
/// written for speed: canvas coordinates stepped along each row, the last tile tried first, and the bilinear
/// blend in 8-bit fixed point (weights in 1/256, rounded once at the end; <see cref="SampleReference"/> is the
/// plain double-precision form it is tested against).
/// </remarks>
public static class CanvasWarp
{
    public const byte Fill = 114;

    public static RgbImage Render(IReadOnlyList<CanvasTile> tiles, AffineTransform canvasToOutput, int width, int height) =>
        Render(tiles, canvasToOutput, width, height, allowAxisAligned: true);

    /// <summary>
    /// As above; without rotation and shear (the defaults: degrees 0, shear 0) canvas x depends on output x alone and
    /// canvas y on output y alone, so the sampling positions are worked out once per column and once per row
    /// (the same arithmetic, so the same bytes as the general path; <paramref name="allowAxisAligned"/> false
    /// forces the general path, for tests).
    /// </summary>
    internal static RgbImage Render(IReadOnlyList<CanvasTile> tiles, AffineTransform canvasToOutput, int width, int height, bool allowAxisAligned)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        var inverse = canvasToOutput.Inverse();
        var output = new byte[width * height * 3];
        output.AsSpan().Fill(Fill);
        var placed = tiles.Select(t => new PlacedTile(t)).ToArray();
        if (allowAxisAligned && inverse.B == 0 && inverse.D == 0 && placed.Length > 0)
            RenderAxisAligned(placed, inverse, width, height, output);
        else
            RenderGeneral(placed, inverse, width, height, output);
        return new RgbImage(width, height, output);
    }

    /// <summary>Per tile, per output column (or row): the two source indices and the 1/256 weight, or -1 off the tile.</summary>
    private readonly struct Axis(int count)
    {
        public readonly int[] Low = new int[count], High = new int[count], Weight = new int[count];
    }

    private static Axis AxisOf(int count, double scale, double shift, double clipLow, double clipHigh, double offset, double inverseScale, int size)
    {
        var axis = new Axis(count);
        for (int i = 0; i < count; i++)
        {
            // exactly the general path's arithmetic: canvas coordinate, containment, source index and weight
            double c = (scale * (i + 0.5)) + shift;
            if (!(c >= clipLow && c < clipHigh))
            {
                axis.Low[i] = -1;
                continue;
            }
            double source = Math.Clamp(((c - offset) * inverseScale) - 0.5, 0, size - 1);
            int low = (int)source;
            axis.Low[i] = low;
            axis.High[i] = Math.Min(low + 1, size - 1);
            axis.Weight[i] = (int)(((source - low) * 256) + 0.5);
        }
        return axis;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RenderAxisAligned(PlacedTile[] tiles, AffineTransform inverse, int width, int height, byte[] output)
    {
        fixed (byte* outputStart = output)
        {
            // tile by tile, the earlier tiles last: where tiles overlap the first one in list order is what stays, as in
            // the general path; each tile covers whole runs of columns and rows, so the inner loop only blends
            for (int t = tiles.Length - 1; t >= 0; t--)
            {
                ref readonly var tile = ref tiles[t];
                var columns = AxisOf(width, inverse.A, inverse.C, tile.X0, tile.X1, tile.OffsetX, tile.InverseScale, tile.Width);
                var rows = AxisOf(height, inverse.E, inverse.F, tile.Y0, tile.Y1, tile.OffsetY, tile.InverseScale, tile.Height);
                int rowBytes = tile.Width * 3;
                fixed (byte* pixels = tile.Pixels)
                fixed (int* low = columns.Low, high = columns.High, weight = columns.Weight)
                {
                    for (int y = 0; y < height; y++)
                    {
                        int y0 = rows.Low[y];
                        if (y0 < 0) continue;
                        byte* top = pixels + (y0 * rowBytes), bottom = pixels + (rows.High[y] * rowBytes);
                        int fy = rows.Weight[y];
                        byte* destination = outputStart + (y * width * 3);
                        for (int x = 0; x < width; x++)
                        {
                            int x0 = low[x];
                            if (x0 < 0) continue;
                            int left = x0 * 3, right = high[x] * 3;
                            Blend(top + left, top + right, bottom + left, bottom + right, weight[x], fy, destination + (x * 3));
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Blend(byte* p00, byte* p01, byte* p10, byte* p11, int fx, int fy, byte* destination)
    {
        int gx = 256 - fx, gy = 256 - fy;
        for (int c = 0; c < 3; c++)
        {
            int top = (p00[c] * gx) + (p01[c] * fx);
            int bottom = (p10[c] * gx) + (p11[c] * fx);
            destination[c] = (byte)(((top * gy) + (bottom * fy) + 32768) >> 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RenderGeneral(PlacedTile[] placed, AffineTransform inverse, int width, int height, byte[] output)
    {
        int last = 0;
        fixed (byte* outputStart = output)
        {
            for (int y = 0; y < height; y++)
            {
                double py = y + 0.5;
                double rowX = (inverse.B * py) + inverse.C, rowY = (inverse.E * py) + inverse.F;
                byte* destination = outputStart + (y * width * 3);
                for (int x = 0; x < width; x++, destination += 3)
                {
                    double px = x + 0.5;
                    double cx = (inverse.A * px) + rowX, cy = (inverse.D * px) + rowY;
                    int t = FindTile(placed, cx, cy, last);
                    if (t < 0) continue;
                    last = t;
                    ref readonly var tile = ref placed[t];
                    Sample(tile, ((cx - tile.OffsetX) * tile.InverseScale) - 0.5, ((cy - tile.OffsetY) * tile.InverseScale) - 0.5, destination);
                }
            }
        }
    }

    /// <summary>A tile's fields as plain values for the inner loop (no property calls, a multiplication instead of a division).</summary>
    private readonly struct PlacedTile(CanvasTile tile)
    {
        public readonly byte[] Pixels = tile.Image.Pixels;
        public readonly int Width = tile.Image.Width, Height = tile.Image.Height;
        public readonly double InverseScale = 1 / tile.Scale, OffsetX = tile.OffsetX, OffsetY = tile.OffsetY;
        public readonly double X0 = tile.Clip.X0, Y0 = tile.Clip.Y0, X1 = tile.Clip.X1, Y1 = tile.Clip.Y1;

        public bool Contains(double x, double y) => x >= X0 && x < X1 && y >= Y0 && y < Y1;
    }

    /// <summary>The first tile (in list order) that contains the point, trying <paramref name="hint"/> first when no earlier tile does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindTile(PlacedTile[] tiles, double x, double y, int hint)
    {
        // tiles do not overlap in practice, but list order decides if they do: the hint is only a shortcut when
        // no tile before it contains the point
        if (tiles[hint].Contains(x, y))
        {
            for (int t = 0; t < hint; t++)
                if (tiles[t].Contains(x, y)) return t;
            return hint;
        }
        for (int t = 0; t < tiles.Length; t++)
            if (t != hint && tiles[t].Contains(x, y)) return t;
        return -1;
    }

    /// <summary>Bilinear sample at continuous pixel index (sx, sy), edges clamped, in 8-bit fixed point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Sample(in PlacedTile tile, double sx, double sy, byte* destination)
    {
        int w = tile.Width, h = tile.Height;
        sx = Math.Clamp(sx, 0, w - 1);
        sy = Math.Clamp(sy, 0, h - 1);
        int x0 = (int)sx, y0 = (int)sy;
        int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
        int fx = (int)(((sx - x0) * 256) + 0.5), fy = (int)(((sy - y0) * 256) + 0.5);
        fixed (byte* p = tile.Pixels)
            Blend(p + (((y0 * w) + x0) * 3), p + (((y0 * w) + x1) * 3), p + (((y1 * w) + x0) * 3), p + (((y1 * w) + x1) * 3), fx, fy, destination);
    }

    /// <summary>The same sample in double precision with exact rounding: what the fixed-point form is checked against.</summary>
    internal static void SampleReference(RgbImage image, double sx, double sy, Span<byte> destination)
    {
        int w = image.Width, h = image.Height;
        sx = Math.Clamp(sx, 0, w - 1);
        sy = Math.Clamp(sy, 0, h - 1);
        int x0 = (int)sx, y0 = (int)sy;
        int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
        double fx = sx - x0, fy = sy - y0;
        var p = image.Pixels;
        int i00 = ((y0 * w) + x0) * 3, i01 = ((y0 * w) + x1) * 3, i10 = ((y1 * w) + x0) * 3, i11 = ((y1 * w) + x1) * 3;
        for (int c = 0; c < 3; c++)
        {
            double top = p[i00 + c] + ((p[i01 + c] - p[i00 + c]) * fx);
            double bottom = p[i10 + c] + ((p[i11 + c] - p[i10 + c]) * fx);
            destination[c] = (byte)Math.Clamp((int)Math.Round(top + ((bottom - top) * fy)), 0, 255);
        }
    }

    /// <summary>The whole render with <see cref="SampleReference"/> and a plain tile search: the form before the speed-up, for tests.</summary>
    internal static RgbImage RenderReference(IReadOnlyList<CanvasTile> tiles, AffineTransform canvasToOutput, int width, int height)
    {
        var inverse = canvasToOutput.Inverse();
        var output = new byte[width * height * 3];
        output.AsSpan().Fill(Fill);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (cx, cy) = inverse.Apply(x + 0.5, y + 0.5);
                foreach (var tile in tiles)
                {
                    if (!tile.Contains(cx, cy)) continue;
                    SampleReference(tile.Image, ((cx - tile.OffsetX) / tile.Scale) - 0.5, ((cy - tile.OffsetY) / tile.Scale) - 0.5,
                        output.AsSpan(((y * width) + x) * 3, 3));
                    break;
                }
            }
        }
        return new RgbImage(width, height, output);
    }
}
