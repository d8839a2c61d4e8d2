namespace DigitMl.Data.Scenes;

/// <summary>
/// A mark made of strokes on the page (a distractor, a separator, a printed box): polylines in page coordinates,
/// the stroke half-width, and the pen. Never labelled.
/// </summary>
internal sealed record StrokeMark(IReadOnlyList<(float U, float V)[]> Polylines, float HalfWidth, Pen Pen, float Darkness)
{
    public (float U0, float V0, float U1, float V1) Bounds()
    {
        float u0 = float.MaxValue, v0 = float.MaxValue, u1 = float.MinValue, v1 = float.MinValue;
        foreach (var line in Polylines)
        {
            foreach (var (u, v) in line)
            {
                u0 = Math.Min(u0, u);
                v0 = Math.Min(v0, v);
                u1 = Math.Max(u1, u);
                v1 = Math.Max(v1, v);
            }
        }
        return (u0 - HalfWidth, v0 - HalfWidth, u1 + HalfWidth, v1 + HalfWidth);
    }

    /// <summary>
    /// A glyph from the unit box placed at (<paramref name="u"/>, <paramref name="v"/>) (top-left) with the given size,
    /// slanted (x += slant * (1 - y)) and every point moved by up to <paramref name="jitter"/> of the height.
    /// </summary>
    public static StrokeMark FromGlyph((float X, float Y)[][] glyph, float u, float v, float width, float height, float slant, float jitter,
        float halfWidth, Pen pen, float darkness, SceneRandom random)
    {
        var lines = new List<(float, float)[]>(glyph.Length);
        foreach (var line in glyph)
        {
            var points = new (float, float)[line.Length];
            for (int i = 0; i < line.Length; i++)
            {
                var (x, y) = line[i];
                float jx = (float)random.Uniform(-jitter, jitter) * height, jy = (float)random.Uniform(-jitter, jitter) * height;
                points[i] = (u + ((x + (slant * (1 - y))) * width) + jx, v + (y * height) + jy);
            }
            lines.Add(points);
        }
        return new StrokeMark(lines, halfWidth, pen, darkness);
    }
}
