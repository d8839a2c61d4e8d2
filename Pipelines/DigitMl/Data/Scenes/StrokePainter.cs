namespace DigitMl.Data.Scenes;

/// <summary>
/// Draws a <see cref="StrokeMark"/> onto an image through the page warp: each pixel's coverage is how much of a
/// round-capped stroke of the mark's width covers its centre (distance to the nearest segment, anti-aliased).
/// </summary>
internal static class StrokePainter
{
    public static void Paint(RgbImage image, StrokeMark mark, PageWarp warp, uint textureSeed)
    {
        var (u0, v0, u1, v1) = mark.Bounds();
        var (x0, y0, x1, y1) = warp.ImageBounds(u0, v0, u1, v1, 2);
        x0 = Math.Max(0, x0);
        y0 = Math.Max(0, y0);
        x1 = Math.Min(image.Width, x1);
        y1 = Math.Min(image.Height, y1);
        var pixels = image.Pixels;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                float u, v;
                if (warp.IsIdentity)
                {
                    u = x + 0.5f;
                    v = y + 0.5f;
                }
                else
                {
                    var (pu, pv) = warp.ToPage(x + 0.5, y + 0.5);
                    u = (float)pu;
                    v = (float)pv;
                }
                float d = Distance(mark, u, v);
                float cover = Math.Clamp(mark.HalfWidth + 0.5f - d, 0, 1);
                if (cover <= 0) continue;
                if (mark.Pen.Texture > 0) cover *= 1 - (mark.Pen.Texture * Math.Max(0, ValueNoise.Smooth(u, v, mark.Pen.TextureCell, textureSeed)));
                float c = cover * mark.Darkness;
                int p = ((y * image.Width) + x) * 3;
                pixels[p] = Blend(pixels[p], mark.Pen.Colour.R, c);
                pixels[p + 1] = Blend(pixels[p + 1], mark.Pen.Colour.G, c);
                pixels[p + 2] = Blend(pixels[p + 2], mark.Pen.Colour.B, c);
            }
        }
    }

    public static byte Blend(byte paper, float ink, float coverage) =>
        (byte)Math.Clamp(MathF.Round(paper + (coverage * (ink - paper))), 0, 255);

    private static float Distance(StrokeMark mark, float u, float v)
    {
        float best = float.MaxValue;
        foreach (var line in mark.Polylines)
        {
            for (int i = 0; i + 1 < line.Length; i++)
            {
                var (au, av) = line[i];
                var (bu, bv) = line[i + 1];
                float du = bu - au, dv = bv - av;
                float length2 = (du * du) + (dv * dv);
                float t = length2 == 0 ? 0 : Math.Clamp((((u - au) * du) + ((v - av) * dv)) / length2, 0, 1);
                float eu = u - (au + (t * du)), ev = v - (av + (t * dv));
                best = Math.Min(best, (eu * eu) + (ev * ev));
            }
        }
        return MathF.Sqrt(best);
    }
}
