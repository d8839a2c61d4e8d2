namespace DigitMl.Data.Scenes;

/// <summary>
/// Draws a <see cref="SceneSymbol"/> by hand as an ink-coverage patch: jittered strokes of a round pen, sized
/// against the digit height of the place it takes (a minus about half a digit wide, a point a fifth of a digit).
/// </summary>
internal static class SymbolStrokes
{
    public static DigitPatch? Draw(SceneSymbol symbol, int inkHeight, SceneRandom random)
    {
        float h = Math.Max(4, inkHeight);
        float halfWidth = Math.Max(1f, h * (float)random.Uniform(0.04, 0.07));
        var strokes = symbol.Glyph switch
        {
            '-' => [Bar(h * (float)random.Uniform(0.45, 0.8), h, random)],
            '+' => Plus(h * (float)random.Uniform(0.45, 0.7), h, random),
            '.' => [Dot(h, random, ref halfWidth)],
            _ => throw new ArgumentException($"no drawing for symbol '{symbol.Name}'", nameof(symbol)),
        };
        return Rasterise(strokes, halfWidth);
    }

    /// <summary>A nearly level stroke of <paramref name="length"/> with a little slope and sag.</summary>
    private static (float X, float Y)[] Bar(float length, float h, SceneRandom random)
    {
        float slope = (float)random.Uniform(-0.12, 0.12), sag = length * (float)random.Uniform(-0.05, 0.05);
        float jitter = h * 0.02f;
        return [
            (0, (float)random.Uniform(-jitter, jitter)),
            (length / 2, (slope * length / 2) + sag),
            (length, (slope * length) + (float)random.Uniform(-jitter, jitter)),
        ];
    }

    private static (float X, float Y)[][] Plus(float size, float h, SceneRandom random)
    {
        var bar = Bar(size, h, random);
        float cx = (size / 2) + (size * (float)random.Uniform(-0.08, 0.08)), lean = size * (float)random.Uniform(-0.1, 0.1);
        float top = -size / 2, bottom = size / 2;
        return [bar, [(cx + lean, top + (size * (float)random.Uniform(-0.05, 0.05))), (cx - lean, bottom + (size * (float)random.Uniform(-0.05, 0.05)))]];
    }

    /// <summary>A dab: a very short stroke whose pen is wide enough for a dot of a fifth of the digit height.</summary>
    private static (float X, float Y)[] Dot(float h, SceneRandom random, ref float halfWidth)
    {
        halfWidth = Math.Max(1.3f, h * (float)random.Uniform(0.06, 0.1));
        float length = halfWidth * (float)random.Uniform(0, 0.8);
        double angle = random.Uniform(0, 180);
        // ExactMath: the same bytes on every machine, like the rest of the generator
        double radians = ExactMath.DegreesToRadians(angle);
        return [(0, 0), (length * (float)ExactMath.Cos(radians), length * (float)ExactMath.Sin(radians))];
    }

    /// <summary>Coverage of a round pen of <paramref name="halfWidth"/> along the polylines, anti-aliased over one pixel.</summary>
    private static DigitPatch? Rasterise((float X, float Y)[][] strokes, float halfWidth)
    {
        float x0 = strokes.SelectMany(s => s).Min(p => p.X) - halfWidth - 2, y0 = strokes.SelectMany(s => s).Min(p => p.Y) - halfWidth - 2;
        float x1 = strokes.SelectMany(s => s).Max(p => p.X) + halfWidth + 2, y1 = strokes.SelectMany(s => s).Max(p => p.Y) + halfWidth + 2;
        int width = (int)MathF.Ceiling(x1 - x0), height = (int)MathF.Ceiling(y1 - y0);
        var coverage = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float px = x0 + x + 0.5f, py = y0 + y + 0.5f, nearest = float.MaxValue;
                foreach (var stroke in strokes)
                {
                    for (int i = 0; i + 1 < stroke.Length; i++)
                        nearest = Math.Min(nearest, DistanceToSegment(px, py, stroke[i], stroke[i + 1]));
                }
                coverage[(y * width) + x] = Math.Clamp(halfWidth + 0.5f - nearest, 0, 1);
            }
        }
        return DigitPatch.FromCoverage(width, height, coverage);
    }

    private static float DistanceToSegment(float px, float py, (float X, float Y) a, (float X, float Y) b)
    {
        float dx = b.X - a.X, dy = b.Y - a.Y, lengthSquared = (dx * dx) + (dy * dy);
        float t = lengthSquared == 0 ? 0 : Math.Clamp((((px - a.X) * dx) + ((py - a.Y) * dy)) / lengthSquared, 0, 1);
        float ex = px - (a.X + (t * dx)), ey = py - (a.Y + (t * dy));
        return MathF.Sqrt((ex * ex) + (ey * ey));
    }
}
