namespace DigitMl.Data;

/// <summary>Lossless pixel rotations by multiples of 90 degrees (clockwise) and mirroring.</summary>
public static class ImageRotation
{
    /// <summary>Rotates clockwise by 0, 90, 180 or 270 degrees. 90 and 270 swap width and height.</summary>
    public static RgbImage RotateClockwise(RgbImage image, int degrees)
    {
        int turns = NormalizeQuarterTurns(degrees);
        if (turns == 0) return image;
        int w = image.Width, h = image.Height;
        int outW = turns == 2 ? w : h, outH = turns == 2 ? h : w;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // pixel (x, y) moves to (nx, ny) in the rotated image
                (int nx, int ny) = turns switch
                {
                    1 => (h - 1 - y, x),
                    2 => (w - 1 - x, h - 1 - y),
                    _ => (y, w - 1 - x),
                };
                int s = ((y * w) + x) * 3, d = ((ny * outW) + nx) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new RgbImage(outW, outH, dst);
    }

    public static RgbImage MirrorHorizontal(RgbImage image)
    {
        int w = image.Width, h = image.Height;
        var src = image.Pixels;
        var dst = new byte[src.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                Buffer.BlockCopy(src, ((y * w) + x) * 3, dst, ((y * w) + (w - 1 - x)) * 3, 3);
        return new RgbImage(w, h, dst);
    }

    /// <summary>0..3 quarter turns for a multiple of 90 degrees; anything else is an error.</summary>
    public static int NormalizeQuarterTurns(int degrees)
    {
        if (degrees % 90 != 0)
            throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "rotation must be a multiple of 90 degrees");
        return ((degrees / 90 % 4) + 4) % 4;
    }
}
