namespace DigitMl.Data.Scenes;

/// <summary>
/// Decides where the digits of a scene go, scattered (as before: random positions, little overlap) or in rows of
/// numbers, dates, times, grouped numbers and boxed meter readings, and places them through a <see cref="DigitPlacer"/>.
/// Separators (. , : - /) and meter cells become unlabelled <see cref="StrokeMark"/>s.
/// </summary>
internal sealed class DigitLayout(IDigitSource source, IReadOnlyList<int> pool, SceneOptions options, int width, int height, InkStyle ink, DigitPlacer placer,
    SceneRandom random, SceneRandom inkRandom)
{
    private const int PlacementAttempts = 30;

    public List<StrokeMark> Marks { get; } = [];

    /// <summary>Random positions with at most <see cref="SceneRenderer.MaxOverlap"/> shared box; cut by the border when <paramref name="cut"/>.</summary>
    public void Scatter(bool cut, float minVisible)
    {
        int wanted = random.Between(Math.Min(options.MinDigits, Math.Max(1, options.MaxDigits)), Math.Max(1, options.MaxDigits));
        for (int n = 0; n < wanted; n++)
        {
            int index = pool[random.NextInt(pool.Count)];
            int inkHeight = DigitHeight();
            var pen = ink.NextPen(inkRandom);
            float darkness = pen.SampleDarkness(inkRandom, ink.LowContrast, ink.LowContrastDarkness);
            var patch = Patch(index, inkHeight);
            if (patch is null || patch.BoxWidth > width || patch.BoxHeight > height) continue;
            for (int attempt = 0; attempt < PlacementAttempts; attempt++)
            {
                int u, v;
                if (cut)
                {
                    u = random.Between(-patch.BoxWidth / 2, width - (patch.BoxWidth / 2));
                    v = random.Between(-patch.BoxHeight / 2, height - (patch.BoxHeight / 2));
                }
                else
                {
                    u = random.Between(0, width - patch.BoxWidth);
                    v = random.Between(0, height - patch.BoxHeight);
                }
                var placed = placer.TryPlace(patch, source.ClassOf(index), index, u - patch.BoxX0, v - patch.BoxY0, cut ? minVisible : 1, SceneRenderer.MaxOverlap);
                if (placed is null) continue;
                placed.Pen = pen;
                placed.Darkness = darkness;
                break;
            }
        }
    }

    /// <summary>
    /// Rows of digit groups, top to bottom, spread so that a target of max(6, <see cref="SceneOptions.MinDigits"/>)
    /// to <paramref name="maxDigits"/> digits fills the canvas (fewer when the canvas is full first). On ruled or squared paper most scenes write on
    /// the printed lines, with digits a half to nine tenths of the line spacing tall, skipping some lines.
    /// </summary>
    public void Rows(bool touching, bool cut, float minVisible, int maxDigits, PaperStyle paper)
    {
        // dense: at least six digits (or MinDigits) are aimed at
        int total = 0, target = random.Between(Math.Min(Math.Max(options.MinDigits, 6), maxDigits), maxDigits);
        float slope = (float)random.Uniform(-0.04, 0.04);
        int maxHeight = DigitHeightMax();
        float lowOnLine = Math.Max(options.MinDigitHeight, paper.Spacing * 0.5f), highOnLine = Math.Min(maxHeight, paper.Spacing * 0.9f);
        bool onLines = paper.Lines is LineKind.Ruled or LineKind.Squared && lowOnLine <= highOnLine && random.Chance(0.7);
        float top = cut ? (float)random.Uniform(-0.3, 0.15) * maxHeight : (float)random.Uniform(1, Math.Max(2, height * 0.15));
        // about seven digits a row: spread the rows needed for the target over the canvas
        float pitch = (height - top) / Math.Max(1, MathF.Ceiling(target / 7f));
        int line = onLines ? (int)MathF.Ceiling((top + highOnLine - paper.PhaseV - 0.5f) / paper.Spacing) : 0;
        for (int row = 0; row < 400 && total < target; row++)
        {
            int rowHeight;
            float baseline;
            if (onLines)
            {
                rowHeight = (int)MathF.Round((float)random.Uniform(lowOnLine, highOnLine));
                baseline = paper.PhaseV + 0.5f + (line * paper.Spacing) - ((float)random.Uniform(0, 0.12) * paper.Spacing);
                line += Math.Max(1, (int)MathF.Round(pitch / paper.Spacing * (float)random.Uniform(0.4, 1.0)));
            }
            else
            {
                rowHeight = DigitHeight();
                baseline = top + rowHeight;
                top = baseline + Math.Max(rowHeight * 0.3f, (pitch - rowHeight) * (float)random.Uniform(0.3, 1.0));
            }
            if (baseline > height + (cut ? rowHeight * 0.3f : -1)) break;
            var pen = ink.NextPen(inkRandom);
            float u = cut ? (float)random.Uniform(-0.5 * rowHeight, 0.3 * width) : (float)random.Uniform(1, Math.Max(2, 0.3 * width));
            while (total < target)
            {
                int before = total;
                u = Group(u, baseline, rowHeight, slope, touching, cut, minVisible, pen, target, ref total);
                if (total == before && u >= width) break;
                u += rowHeight * (float)random.Uniform(0.8, 3.5);  // gap between groups on one line
                if (u > width - (cut ? 0 : rowHeight)) break;
                if (random.Chance(0.35)) break;                     // often one group per line
            }
        }
    }

    private enum GroupKind
    {
        Number,
        Date,
        Time,
        Grouped,
        Meter,
    }

    /// <summary>Writes one group starting at page x <paramref name="u"/>; returns the x after it.</summary>
    private float Group(float u, float baseline, int rowHeight, float slope, bool touching, bool cut, float minVisible, Pen pen, int maxDigits, ref int total)
    {
        var kind = random.NextInt(10) switch
        {
            < 4 => GroupKind.Number,
            < 6 => GroupKind.Date,
            6 => GroupKind.Time,
            7 => GroupKind.Grouped,
            _ => GroupKind.Meter,
        };
        // tokens: 'd' a digit, a separator character, ' ' a space
        string pattern = kind switch
        {
            GroupKind.Number => NumberPattern(),
            GroupKind.Date => random.NextInt(4) switch { 0 => "dd.dd.dddd", 1 => "dd/dd/dd", 2 => "dd-dd-dddd", _ => "dd.dd.dd" },
            GroupKind.Time => random.Chance(0.5) ? "dd:dd" : "d:dd",
            GroupKind.Grouped => random.Chance(0.5) ? "ddd ddd" : "dddd ddd dddd",
            _ => new string('d', random.Between(4, 8)),
        };
        bool cells = kind == GroupKind.Meter && random.Chance(0.8);
        float cellPad = Math.Max(2, rowHeight * 0.15f), lineHalf = Math.Max(0.5f, rowHeight / 40f);
        var cellPen = inkRandom.Chance(0.5) ? new Pen(Rgb.Gray((float)inkRandom.Uniform(20, 90)), 1, 1, 0, 1) : pen;
        float start = u;
        // a separator is drawn only between two placed digits: a lone slash or bar would read as a 1
        var pending = new List<StrokeMark>();
        bool digitBefore = false;
        foreach (char token in pattern)
        {
            if (total >= maxDigits) break;
            if (u > width + rowHeight) break;
            if (token == ' ')
            {
                u += rowHeight * (float)random.Uniform(0.35, 0.7);
                continue;
            }
            if (token != 'd')
            {
                // a separator the source labels as a class (a minus, a point) would be an unlabelled instance of it
                char separator = source.LabelledGlyphs.Contains(token) ? '/' : token;
                (var mark, u) = Separator(separator, u, baseline + (slope * (u - start)), rowHeight, pen);
                if (digitBefore) pending.Add(mark);
                continue;
            }
            int index = pool[random.NextInt(pool.Count)];
            int inkHeight = Math.Max(options.MinDigitHeight, (int)MathF.Round(rowHeight * (float)random.Uniform(0.92, 1.08)));
            var patch = Patch(index, Math.Min(inkHeight, DigitHeightMax()));
            if (patch is null) continue;
            float cellWidth = cells ? Math.Max(patch.BoxWidth, rowHeight * 0.7f) + (2 * cellPad) : 0;
            float left = cells ? u + ((cellWidth - patch.BoxWidth) / 2) : u;
            float bottom = baseline + (slope * (u - start)) + (rowHeight * (float)random.Uniform(-0.05, 0.05));
            int pu = (int)MathF.Round(left), pv = (int)MathF.Round(bottom) - patch.BoxHeight;
            if (!cut && (pu < 0 || pu + patch.BoxWidth > width || pv < 0 || pv + patch.BoxHeight > height)) break;
            float overlap = touching ? SceneRenderer.TouchingOverlap : SceneRenderer.MaxOverlap;
            var placed = placer.TryPlace(patch, source.ClassOf(index), index, pu - patch.BoxX0, pv - patch.BoxY0, cut ? minVisible : 1, overlap);
            if (placed is not null)
            {
                placed.Pen = pen;
                placed.Darkness = pen.SampleDarkness(inkRandom, ink.LowContrast, ink.LowContrastDarkness);
                total++;
                foreach (var mark in pending)
                {
                    var (mu0, mv0, mu1, mv1) = mark.Bounds();
                    if (placer.IsClear(mu0, mv0, mu1, mv1, 1)) Marks.Add(mark);
                }
            }
            pending.Clear();
            digitBefore = placed is not null;
            if (cells)
            {
                float cellTop = baseline + (slope * (u - start)) - rowHeight - cellPad;
                Marks.Add(new StrokeMark([[(u, cellTop), (u + cellWidth, cellTop), (u + cellWidth, cellTop + rowHeight + (2 * cellPad)), (u, cellTop + rowHeight + (2 * cellPad)), (u, cellTop)]],
                    lineHalf, cellPen, 1));
                u += cellWidth;
            }
            else
            {
                float gap = touching ? rowHeight * (float)random.Uniform(-0.12, 0.02) : rowHeight * (float)random.Uniform(0.06, 0.3);
                u += patch.BoxWidth + gap;
            }
        }
        return u;
    }

    private string NumberPattern()
    {
        int digits = random.Between(2, 8);
        var chars = new string('d', digits).ToCharArray().ToList();
        if (digits >= 3 && random.Chance(0.3)) chars.Insert(digits - random.Between(1, 2), random.Chance(0.5) ? '.' : ',');
        return new string([.. chars]);
    }

    /// <summary>A handwritten separator in the row's pen, and the x after it.</summary>
    private (StrokeMark Mark, float After) Separator(char token, float u, float baseline, int rowHeight, Pen pen)
    {
        var glyph = token == '/' ? StrokeGlyphs.Slash : StrokeGlyphs.Punctuation[token];
        float size = token is '/' ? rowHeight * 0.8f : rowHeight * 0.55f;
        float glyphWidth = token is '.' or ',' or ':' ? size * 0.3f : token == '-' ? size * 0.7f : token == '/' ? size : size * 0.6f;
        float gap = rowHeight * (float)random.Uniform(0.1, 0.2);
        float halfWidth = Math.Max(0.6f, rowHeight / 18f);
        float left = u + gap;
        var mark = StrokeMark.FromGlyph(glyph, left, baseline - size, glyphWidth, size, 0, 0.02f, halfWidth, pen, pen.SampleDarkness(inkRandom, false, 1), random);
        return (mark, left + glyphWidth + gap);
    }

    /// <summary>Ink height skewed towards small digits: a scene has room for more of them, and small ones are the hard case.</summary>
    private int DigitHeight()
    {
        int max = DigitHeightMax(), min = Math.Min(options.MinDigitHeight, max);
        double u = random.NextDouble();
        return min + (int)((max - min + 1) * ((0.5 * u) + (0.5 * u * u)));
    }

    private int DigitHeightMax() => Math.Min(options.MaxDigitHeight, Math.Min(width, height) - 2);

    private DigitPatch? Patch(int index, int inkHeight)
    {
        var patch = source.Draw(index, inkHeight, random.NextUInt64());
        if (patch is null) return null;
        float radius = ink.StrokeRadius(inkHeight, inkRandom);
        return radius == 0 ? patch : patch.WithStrokeWeight(radius);
    }
}
