namespace DigitMl.Data.Scenes;

/// <summary>
/// Paints a <see cref="PaperStyle"/>: every output pixel looks up its page point through the <see cref="PageWarp"/>,
/// so printed lines, stains and creases tilt and turn with the page. Lines are anti-aliased by their distance to
/// the pixel centre (an untilted 1-px line with a whole-pixel phase covers exactly one pixel row, as before).
/// Grain is per output pixel (sensor and paper fibre together).
/// </summary>
internal static class PaperPainter
{
    public static RgbImage Paint(PaperStyle paper, PageWarp warp, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        float half = paper.Thickness / 2;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
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

                var c = paper.Base;
                if (paper.TextureAmplitude > 0)
                    c = c.Add(paper.TextureAmplitude * ValueNoise.Fractal(u / paper.TextureStretch, v, paper.TextureCell, 3, paper.Seed));
                if (paper.Haze > 0)
                {
                    float haze = ValueNoise.Fractal(u, v, 48, 2, paper.Seed ^ 0x5bd1e995u);
                    if (haze > 0) c = c.Add(paper.Haze * haze * 2);
                }
                if (paper.Lines != LineKind.None)
                {
                    float cover = LineCoverage(paper, u, v, half);
                    if (cover > 0) c = c.Print(paper.LineColour, cover * paper.LineOpacity);
                }
                if (!float.IsNaN(paper.MarginU))
                {
                    // 2 px wide: untilted, it covers exactly pixel columns MarginU and MarginU + 1
                    float cover = Band(MathF.Abs(u - paper.MarginU - 1), 2);
                    if (paper.DoubleMargin) cover = Math.Max(cover, Band(MathF.Abs(u - paper.MarginU - 5), 2));
                    if (cover > 0) c = c.Print(paper.MarginColour, cover);
                }
                foreach (var stain in paper.Stains) c = ApplyStain(c, stain, u, v, paper.Seed);
                foreach (var crease in paper.Creases) c = c.Scale(CreaseShade(crease, u, v));

                float grain = ValueNoise.Signed(x, y, paper.Seed ^ 0x27d4eb2fu) * paper.Grain;
                int p = ((y * width) + x) * 3;
                pixels[p] = ToByte(c.R + grain, paper.Floor);
                pixels[p + 1] = ToByte(c.G + grain, paper.Floor);
                pixels[p + 2] = ToByte(c.B + grain, paper.Floor);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Coverage of a pixel whose centre is <paramref name="distance"/> from the middle of a line <paramref name="width"/> wide.</summary>
    private static float Band(float distance, float width) => Math.Clamp((width / 2) + 0.5f - distance, 0, 1);

    private static float LineCoverage(PaperStyle paper, float u, float v, float half)
    {
        float s = paper.Spacing;
        // distance of the pixel centre to the nearest line at phase + 0.5 + k * spacing
        float dv = DistanceToLattice(v - 0.5f - paper.PhaseV, s);
        if (paper.Lines == LineKind.Ruled) return Band(dv, paper.Thickness);
        float du = DistanceToLattice(u - 0.5f - paper.PhaseU, s);
        if (paper.Lines == LineKind.Squared) return Math.Max(Band(dv, paper.Thickness), Band(du, paper.Thickness));
        // dotted: a dot of diameter Thickness at each lattice point
        float d = MathF.Sqrt((du * du) + (dv * dv));
        return Math.Clamp(half + 0.5f - d, 0, 1);
    }

    private static float DistanceToLattice(float t, float spacing)
    {
        float r = t - (MathF.Floor(t / spacing) * spacing);
        return Math.Min(r, spacing - r);
    }

    private static Rgb ApplyStain(Rgb c, Stain stain, float u, float v, uint seed)
    {
        float du = u - stain.U, dv = v - stain.V, reach = stain.Radius * 1.4f;
        if (MathF.Abs(du) > reach || MathF.Abs(dv) > reach) return c;
        // a wobbly outline: the distance is stretched by smooth noise
        float d = MathF.Sqrt((du * du) + (dv * dv)) * (1 + (0.22f * ValueNoise.Smooth(u, v, (stain.Radius / 2) + 1, seed ^ 0x1b873593u)));
        float alpha;
        if (stain.Ring)
        {
            float t = Math.Max(0, 1 - (MathF.Abs(d - stain.Radius) / stain.RingWidth));
            alpha = (t * t * (3 - (2 * t))) + (d < stain.Radius ? 0.25f : 0);
        }
        else
        {
            float t = Math.Clamp(1.15f - (d / stain.Radius), 0, 1);
            alpha = Math.Min(1, t * t * (3 - (2 * t)) * 1.2f);
        }
        return alpha <= 0 ? c : c.Print(stain.Colour, alpha * stain.Strength);
    }

    private static float CreaseShade(Crease crease, float u, float v)
    {
        float s = ((u - crease.U) * crease.Nu) + ((v - crease.V) * crease.Nv);
        float a = MathF.Abs(s);
        if (a >= crease.Width) return 1;
        float f = 1 - (a / crease.Width);
        if (a < 0.7f) return 1 - (crease.Strength * 0.9f);          // the fold itself
        return s < 0 ? 1 - (crease.Strength * f) : 1 + (crease.Strength * 0.5f * f);
    }

    private static byte ToByte(float value, float floor) => (byte)Math.Clamp(MathF.Round(value), floor, 255);
}
