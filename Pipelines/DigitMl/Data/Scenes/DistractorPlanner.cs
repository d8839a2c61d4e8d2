namespace DigitMl.Data.Scenes;

/// <summary>
/// Places the unlabelled marks of <see cref="DistractorVariation"/> clear of every placed digit: handwritten letters,
/// punctuation and ticks in the scene's pen, lines (straight or wavy) and boxes (frames, check boxes) printed or
/// drawn. A mark that finds no free spot in a few tries is left out.
/// </summary>
internal static class DistractorPlanner
{
    private const int Attempts = 20;

    private static readonly char[] LetterKeys = [.. StrokeGlyphs.Letters.Keys];
    private static readonly char[] PunctuationKeys = [.. StrokeGlyphs.Punctuation.Keys];

    public static List<StrokeMark> Plan(DistractorVariation v, SceneOptions options, int width, int height, InkStyle ink, DigitPlacer placer, SceneRandom random, SceneRandom inkRandom, IReadOnlySet<char>? labelled = null)
    {
        var punctuation = labelled is { Count: > 0 } ? [.. PunctuationKeys.Where(k => !labelled.Contains(k))] : PunctuationKeys;
        var marks = new List<StrokeMark>();
        int count = random.Between(1, v.MaxCount);
        double total = v.LetterWeight + v.PunctuationWeight + v.LineWeight + v.BoxWeight + v.TickWeight;
        int minSide = Math.Min(width, height);
        for (int n = 0; n < count; n++)
        {
            double pick = random.NextDouble() * total;
            int kind = pick < v.LetterWeight ? 0
                : pick < v.LetterWeight + v.PunctuationWeight ? 1
                : pick < v.LetterWeight + v.PunctuationWeight + v.LineWeight ? 2
                : pick < v.LetterWeight + v.PunctuationWeight + v.LineWeight + v.BoxWeight ? 3
                : 4;
            var pen = ink.NextPen(inkRandom);
            float darkness = pen.SampleDarkness(inkRandom, ink.LowContrast, ink.LowContrastDarkness);
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                var mark = kind switch
                {
                    0 => Letter(LetterKeys, options, minSide, width, height, pen, darkness, random),
                    1 => Letter(punctuation, options, minSide, width, height, pen, darkness, random, small: true),
                    2 => Line(options, width, height, minSide, pen, darkness, random),
                    3 => Box(options, width, height, minSide, pen, darkness, random),
                    _ => Tick(options, minSide, width, height, pen, darkness, random),
                };
                var (u0, v0, u1, v1) = mark.Bounds();
                if (!placer.IsClear(u0, v0, u1, v1, 2)) continue;
                if (marks.Any(m => Overlaps(m.Bounds(), (u0, v0, u1, v1)))) continue;
                marks.Add(mark);
                break;
            }
        }
        return marks;
    }

    private static bool Overlaps((float U0, float V0, float U1, float V1) a, (float U0, float V0, float U1, float V1) b) =>
        a.U0 < b.U1 && a.U1 > b.U0 && a.V0 < b.V1 && a.V1 > b.V0;

    private static float HandHalfWidth(float height) => Math.Max(0.6f, height / 16f);

    private static float Height(SceneOptions options, int minSide, SceneRandom random)
    {
        int max = Math.Min(options.MaxDigitHeight, minSide - 2), min = Math.Min(options.MinDigitHeight, max);
        double u = random.NextDouble();
        return min + (float)((max - min) * ((0.5 * u) + (0.5 * u * u)));
    }

    private static StrokeMark Letter(char[] keys, SceneOptions options, int minSide, int width, int height, Pen pen, float darkness, SceneRandom random, bool small = false)
    {
        char key = keys[random.NextInt(keys.Length)];
        var glyph = small ? StrokeGlyphs.Punctuation[key] : StrokeGlyphs.Letters[key];
        float h = Height(options, minSide, random) * (small ? 0.7f : 1);
        float w = h * (float)random.Uniform(0.6, 0.95);
        float u = (float)random.Uniform(0, Math.Max(1, width - w)), v = (float)random.Uniform(0, Math.Max(1, height - h));
        return StrokeMark.FromGlyph(glyph, u, v, w, h, (float)random.Uniform(-0.25, 0.25), 0.04f, HandHalfWidth(h), pen, darkness, random);
    }

    private static StrokeMark Tick(SceneOptions options, int minSide, int width, int height, Pen pen, float darkness, SceneRandom random)
    {
        float h = Height(options, minSide, random);
        float w = h * (float)random.Uniform(0.7, 1.1);
        float u = (float)random.Uniform(0, Math.Max(1, width - w)), v = (float)random.Uniform(0, Math.Max(1, height - h));
        return StrokeMark.FromGlyph(random.Chance(0.7) ? StrokeGlyphs.Tick : StrokeGlyphs.Cross, u, v, w, h, (float)random.Uniform(-0.15, 0.15), 0.04f, HandHalfWidth(h), pen, darkness, random);
    }

    private static StrokeMark Line(SceneOptions options, int width, int height, int minSide, Pen pen, float darkness, SceneRandom random)
    {
        float length = (float)random.Uniform(0.2, 0.7) * width;
        float u = (float)random.Uniform(0, width - length), v = (float)random.Uniform(2, height - 2);
        float tilt = (float)random.Uniform(-0.06, 0.06) * length;
        // as thick as a pen or a printed rule: about a digit stroke at most
        float half = (float)random.Uniform(0.5, Math.Max(0.7, (options.MinDigitHeight + options.MaxDigitHeight) / 40.0));
        if (random.Chance(0.35))
        {
            // wavy: a handwritten squiggle or a scribbled-out word
            // wavy: a handwritten squiggle, its height and pace wandering along it
            int segments = Math.Max(8, (int)(length / 2));
            float amplitude = (float)random.Uniform(1.5, Math.Max(2, minSide / 40.0)), period = (float)random.Uniform(6, Math.Max(7, minSide / 12.0));
            uint seed = (uint)random.NextUInt64();
            var points = new (float, float)[segments + 1];
            double phase = 0;
            for (int i = 0; i <= segments; i++)
            {
                float t = i / (float)segments, x = t * length;
                float wander = 1 + (0.45f * ValueNoise.Smooth(x, 0, period * 2, seed));
                phase += 2 * Math.PI * (length / segments) / (period * (1 + (0.3 * ValueNoise.Smooth(x, 7, period * 3, seed ^ 0x9e37u))));
                points[i] = (u + x, v + (t * tilt) + (amplitude * wander * (float)ExactMath.Sin(phase)));
            }
            return new StrokeMark([points], half, pen, darkness);
        }
        var printed = random.Chance(0.5) ? new Pen(Rgb.Gray((float)random.Uniform(20, 100)), 1, 1, 0, 1) : pen;
        return new StrokeMark([[(u, v), (u + length, v + tilt)]], half, printed, printed == pen ? darkness : 1);
    }

    private static StrokeMark Box(SceneOptions options, int width, int height, int minSide, Pen pen, float darkness, SceneRandom random)
    {
        bool checkBox = random.Chance(0.5);
        float w = checkBox ? Height(options, minSide, random) * 0.8f : (float)random.Uniform(0.15, 0.5) * width;
        float h = checkBox ? w : (float)random.Uniform(0.1, 0.35) * height;
        float u = (float)random.Uniform(1, Math.Max(2, width - w - 1)), v = (float)random.Uniform(1, Math.Max(2, height - h - 1));
        var printed = random.Chance(0.6) ? new Pen(Rgb.Gray((float)random.Uniform(20, 110)), 1, 1, 0, 1) : pen;
        float half = (float)random.Uniform(0.5, Math.Max(0.7, Math.Min(minSide / 160.0, Math.Min(w, h) / 14.0)));
        var lines = new List<(float, float)[]> { new[] { (u, v), (u + w, v), (u + w, v + h), (u, v + h), (u, v) } };
        if (checkBox && random.Chance(0.5))
        {
            // a tick or cross in the box, in the hand's pen
            foreach (var line in random.Chance(0.6) ? StrokeGlyphs.Tick : StrokeGlyphs.Cross)
                lines.Add([.. line.Select(p => (u + (w * (0.15f + (0.7f * p.X))), v + (h * (0.15f + (0.7f * p.Y)))))]);
        }
        return new StrokeMark(lines, half, printed, printed == pen ? darkness : 1);
    }
}
