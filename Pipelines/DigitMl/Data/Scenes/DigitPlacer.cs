namespace DigitMl.Data.Scenes;

/// <summary>
/// Puts digit patches on the page and decides whether they may stay: each candidate is resampled through the page
/// warp (bilinear; at whole-pixel offsets without a warp it reproduces the patch exactly), its coverage box is
/// checked against the digits already placed, and a digit cut by the border is kept only when at least the
/// required share of its ink is inside the image.
/// </summary>
internal sealed class DigitPlacer(int width, int height, PageWarp warp)
{
    private readonly List<InkedDigit> _placed = [];

    public IReadOnlyList<InkedDigit> Placed => _placed;

    /// <summary>
    /// Places the patch with its top-left corner at page point (<paramref name="u"/>, <paramref name="v"/>) if its
    /// visible share of ink is at least <paramref name="minVisible"/> (1: fully inside) and it shares at most
    /// <paramref name="maxOverlap"/> of the smaller box with every placed digit. Returns the digit, or null.
    /// </summary>
    public InkedDigit? TryPlace(DigitPatch patch, int classId, int sourceIndex, int u, int v, float minVisible, float maxOverlap)
    {
        var candidate = Sample(patch, classId, sourceIndex, u, v, minVisible);
        if (candidate is null) return null;
        foreach (var other in _placed)
        {
            if (Intersection(candidate.Box, other.Box) > maxOverlap * Math.Min(candidate.Box.Area, other.Box.Area)) return null;
        }
        _placed.Add(candidate);
        return candidate;
    }

    /// <summary>Whether a page rectangle stays at least <paramref name="margin"/> page pixels away from every placed digit's ink box.</summary>
    public bool IsClear(float u0, float v0, float u1, float v1, float margin)
    {
        foreach (var d in _placed)
        {
            var b = d.PageBox;
            if (u0 < b.U1 + margin && u1 > b.U0 - margin && v0 < b.V1 + margin && v1 > b.V0 - margin) return false;
        }
        return true;
    }

    private InkedDigit? Sample(DigitPatch patch, int classId, int sourceIndex, int u, int v, float minVisible)
    {
        float pu0 = u + patch.BoxX0, pv0 = v + patch.BoxY0, pu1 = u + patch.BoxX1, pv1 = v + patch.BoxY1;
        var (rx0, ry0, rx1, ry1) = warp.ImageBounds(pu0, pv0, pu1, pv1, 1);
        int rw = rx1 - rx0, rh = ry1 - ry0;
        if (rw <= 0 || rh <= 0) return null;
        // nothing of it can be inside: skip the sampling
        if (rx1 <= 0 || ry1 <= 0 || rx0 >= width || ry0 >= height) return null;
        var coverage = new float[rw * rh];
        float total = 0, visible = 0;
        int bx0 = int.MaxValue, by0 = int.MaxValue, bx1 = int.MinValue, by1 = int.MinValue;
        for (int y = 0; y < rh; y++)
        {
            int iy = ry0 + y;
            for (int x = 0; x < rw; x++)
            {
                int ix = rx0 + x;
                float c;
                if (warp.IsIdentity)
                {
                    c = At(patch, ix - u, iy - v);
                }
                else
                {
                    var (pu, pv) = warp.ToPage(ix + 0.5, iy + 0.5);
                    c = Bilinear(patch, (float)(pu - u - 0.5), (float)(pv - v - 0.5));
                    if (c < DigitPatch.MinCoverage) continue;
                }
                if (c <= 0) continue;
                total += c;
                if ((uint)ix >= (uint)width || (uint)iy >= (uint)height) continue;
                coverage[(y * rw) + x] = c;
                visible += c;
                bx0 = Math.Min(bx0, ix);
                by0 = Math.Min(by0, iy);
                bx1 = Math.Max(bx1, ix);
                by1 = Math.Max(by1, iy);
            }
        }
        if (visible <= 0 || visible < minVisible * total) return null;
        return new InkedDigit
        {
            ClassId = classId,
            SourceIndex = sourceIndex,
            X0 = rx0,
            Y0 = ry0,
            Width = rw,
            Height = rh,
            Coverage = coverage,
            Box = new BoundingBox(bx0, by0, bx1 + 1, by1 + 1),
            PageBox = (pu0, pv0, pu1, pv1),
        };
    }

    private static float At(DigitPatch patch, int x, int y) =>
        (uint)x < (uint)patch.Width && (uint)y < (uint)patch.Height ? patch.Coverage[(y * patch.Width) + x] : 0;

    private static float Bilinear(DigitPatch patch, float x, float y)
    {
        float fx0 = MathF.Floor(x), fy0 = MathF.Floor(y);
        int x0 = (int)fx0, y0 = (int)fy0;
        float fx = x - fx0, fy = y - fy0;
        float top = (At(patch, x0, y0) * (1 - fx)) + (At(patch, x0 + 1, y0) * fx);
        float bottom = (At(patch, x0, y0 + 1) * (1 - fx)) + (At(patch, x0 + 1, y0 + 1) * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }

    internal static float Intersection(BoundingBox a, BoundingBox b)
    {
        float w = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        float h = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }
}
