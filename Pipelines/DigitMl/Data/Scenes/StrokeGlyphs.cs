namespace DigitMl.Data.Scenes;

/// <summary>
/// Non-digit marks as polylines in a unit box (x right, y down, baseline at y = 1; lower-case letters from
/// y = 0.45): letters and punctuation whose strokes no digit has (no O, I, l, S, Z, B, G, b, g, q, s, z: they
/// look like 0, 1, 5, 2, 8, 6 or 9), and ticks. Drawn by <see cref="StrokePainter"/> with a jittered hand.
/// </summary>
internal static class StrokeGlyphs
{
    public static IReadOnlyDictionary<char, (float X, float Y)[][]> Letters { get; } = new Dictionary<char, (float, float)[][]>
    {
        ['A'] = [[(0, 1), (0.5f, 0), (1, 1)], [(0.22f, 0.62f), (0.78f, 0.62f)]],
        ['E'] = [[(0.85f, 0), (0.1f, 0), (0.1f, 1), (0.85f, 1)], [(0.1f, 0.5f), (0.7f, 0.5f)]],
        ['F'] = [[(0.85f, 0), (0.1f, 0), (0.1f, 1)], [(0.1f, 0.48f), (0.7f, 0.48f)]],
        ['H'] = [[(0.1f, 0), (0.1f, 1)], [(0.9f, 0), (0.9f, 1)], [(0.1f, 0.5f), (0.9f, 0.5f)]],
        ['K'] = [[(0.15f, 0), (0.15f, 1)], [(0.85f, 0), (0.15f, 0.6f)], [(0.38f, 0.42f), (0.9f, 1)]],
        ['M'] = [[(0.05f, 1), (0.12f, 0), (0.5f, 0.65f), (0.88f, 0), (0.95f, 1)]],
        ['N'] = [[(0.12f, 1), (0.12f, 0), (0.88f, 1), (0.88f, 0)]],
        ['R'] = [[(0.15f, 1), (0.15f, 0), .. Arc(0.55f, 0.25f, 0.3f, 0.25f, -90, 90, 8), (0.15f, 0.5f)], [(0.45f, 0.5f), (0.9f, 1)]],
        ['T'] = [[(0, 0.02f), (1, 0)], [(0.5f, 0), (0.5f, 1)]],
        ['V'] = [[(0, 0), (0.5f, 1), (1, 0)]],
        ['W'] = [[(0, 0), (0.22f, 1), (0.5f, 0.3f), (0.78f, 1), (1, 0)]],
        ['X'] = [[(0.05f, 0), (0.95f, 1)], [(0.95f, 0), (0.05f, 1)]],
        ['Y'] = [[(0, 0), (0.5f, 0.5f), (1, 0)], [(0.5f, 0.5f), (0.5f, 1)]],
        ['m'] = [[(0.08f, 1), (0.08f, 0.47f)], [(0.08f, 0.62f), (0.2f, 0.48f), (0.36f, 0.48f), (0.48f, 0.6f), (0.48f, 1)], [(0.48f, 0.62f), (0.6f, 0.48f), (0.78f, 0.48f), (0.9f, 0.6f), (0.9f, 1)]],
        ['n'] = [[(0.15f, 1), (0.15f, 0.47f)], [(0.15f, 0.64f), (0.32f, 0.48f), (0.64f, 0.48f), (0.82f, 0.62f), (0.82f, 1)]],
        ['r'] = [[(0.25f, 1), (0.25f, 0.47f)], [(0.25f, 0.7f), (0.42f, 0.52f), (0.75f, 0.48f)]],
        ['u'] = [[(0.15f, 0.47f), (0.15f, 0.85f), (0.3f, 1), (0.62f, 1), (0.82f, 0.86f)], [(0.82f, 0.47f), (0.82f, 1)]],
        ['v'] = [[(0.1f, 0.47f), (0.5f, 1), (0.9f, 0.47f)]],
        ['w'] = [[(0.02f, 0.47f), (0.24f, 1), (0.5f, 0.6f), (0.76f, 1), (0.98f, 0.47f)]],
        ['x'] = [[(0.1f, 0.47f), (0.9f, 1)], [(0.9f, 0.47f), (0.1f, 1)]],
    };

    public static IReadOnlyDictionary<char, (float X, float Y)[][]> Punctuation { get; } = new Dictionary<char, (float, float)[][]>
    {
        ['.'] = [Dot(0.5f, 0.94f)],
        [','] = [[(0.55f, 0.9f), (0.52f, 1.0f), (0.42f, 1.14f)]],
        [':'] = [Dot(0.5f, 0.5f), Dot(0.5f, 0.94f)],
        [';'] = [Dot(0.5f, 0.5f), [(0.55f, 0.9f), (0.52f, 1.0f), (0.42f, 1.14f)]],
        ['-'] = [[(0.15f, 0.62f), (0.85f, 0.6f)]],
        ['+'] = [[(0.1f, 0.62f), (0.9f, 0.62f)], [(0.5f, 0.26f), (0.5f, 0.98f)]],
        ['='] = [[(0.1f, 0.5f), (0.9f, 0.5f)], [(0.1f, 0.76f), (0.9f, 0.76f)]],
        ['('] = [Arc(1.0f, 0.5f, 0.65f, 0.6f, 125, 235, 10)],
        [')'] = [Arc(0.0f, 0.5f, 0.65f, 0.6f, -55, 55, 10)],
        ['#'] = [[(0.38f, 0.1f), (0.28f, 1)], [(0.78f, 0.1f), (0.68f, 1)], [(0.05f, 0.38f), (1, 0.38f)], [(0, 0.74f), (0.95f, 0.74f)]],
        ['*'] = [[(0.5f, 0.2f), (0.5f, 0.8f)], [(0.22f, 0.34f), (0.78f, 0.66f)], [(0.78f, 0.34f), (0.22f, 0.66f)]],
        ['?'] = [[.. Arc(0.5f, 0.28f, 0.32f, 0.26f, 190, 400, 10), (0.5f, 0.72f)], Dot(0.5f, 0.96f)],
    };

    /// <summary>Date separators (written between digits only), drawn in a box as wide as high: about 40 degrees off vertical, flatter than a slanted 1.</summary>
    public static (float X, float Y)[][] Slash { get; } = [[(0.9f, 0.05f), (0.1f, 1)]];

    public static (float X, float Y)[][] Tick { get; } = [[(0, 0.55f), (0.35f, 1), (1, 0)]];

    public static (float X, float Y)[][] Cross { get; } = Letters['X'];

    private static (float, float)[] Dot(float x, float y) => [(x, y), (x + 0.01f, y)];

    /// <summary>Points on an elliptic arc, angles in degrees (0 = +x, 90 = +y, i.e. downwards).</summary>
    private static (float, float)[] Arc(float cx, float cy, float rx, float ry, double from, double to, int segments)
    {
        var points = new (float, float)[segments + 1];
        for (int i = 0; i <= segments; i++)
        {
            double a = ExactMath.DegreesToRadians(from + ((to - from) * i / segments));
            points[i] = (cx + (rx * (float)ExactMath.Cos(a)), cy + (ry * (float)ExactMath.Sin(a)));
        }
        return points;
    }
}
