using DigitMl.Data;

namespace DigitMl.Training.Augmentation;

/// <summary>
/// Renders an output image from a virtual canvas of tiles through an affine map in one pass: each output pixel
/// centre is mapped back to the canvas, then into the tile that covers it, and sampled bilinearly. Canvas
/// areas without a tile are gray 114, as the letterbox padding. Building the canvas lazily avoids allocating
/// the 2x-size mosaic the reference draws.
/// </summary>
public static class CanvasWarp
{
    public const byte Fill = 114;

    public static RgbImage Render(IReadOnlyList<CanvasTile> tiles, AffineTransform canvasToOutput, int width, int height)
    {
        var inverse = canvasToOutput.Inverse();
        var output = new byte[width * height * 3];
        output.AsSpan().Fill(Fill);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (cx, cy) = inverse.Apply(x + 0.5, y + 0.5);
                for (int t = 0; t < tiles.Count; t++)
                {
                    var tile = tiles[t];
                    if (!tile.Contains(cx, cy)) continue;
                    double sx = ((cx - tile.OffsetX) / tile.Scale) - 0.5;
                    double sy = ((cy - tile.OffsetY) / tile.Scale) - 0.5;
                    SampleBilinear(tile.Image, sx, sy, output.AsSpan(((y * width) + x) * 3, 3));
                    break;
                }
            }
        }
        return new RgbImage(width, height, output);
    }

    /// <summary>Bilinear sample at continuous pixel index (sx, sy), edges clamped.</summary>
    private static void SampleBilinear(RgbImage image, double sx, double sy, Span<byte> destination)
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
}
