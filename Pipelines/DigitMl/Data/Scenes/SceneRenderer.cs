using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// Draws one scene. Every random choice comes from the scene's own <see cref="SceneRandom"/>, in a fixed order:
/// plain or varied, canvas, light/dark mode, paper, ink, capture (including the page warp), digits, distractors.
/// Then it paints paper and marks through the warp, writes the digits (each box is the tight box of the pixels
/// its ink changed, clipped to the canvas), inverts the page for inverted scans, and applies the capture effects.
/// Only IEEE-exact arithmetic is used (see <see cref="ExactMath"/>), so the pixels are identical on every machine.
/// </summary>
internal static class SceneRenderer
{
    /// <summary>Two digit boxes may share at most this fraction of the smaller box (scattered digits, rows that do not touch).</summary>
    public const float MaxOverlap = 0.05f;

    /// <summary>Touching neighbours in a row may share up to this fraction of the smaller box.</summary>
    public const float TouchingOverlap = 0.35f;

    public static RenderedScene Render(MnistDigits digits, IReadOnlyList<int> pool, SceneOptions options, SceneRandom random) =>
        Render(new MnistDigitSource(digits), pool, options, random);

    public static RenderedScene Render(IDigitSource source, IReadOnlyList<int> pool, SceneOptions options, SceneRandom random)
    {
        var v = options.Variation;
        // one stream per part: turning one effect on or off leaves what the other parts drew unchanged
        var layoutRandom = random.Fork(1);
        var paperRandom = random.Fork(2);
        var inkRandom = random.Fork(3);
        var captureRandom = random.Fork(4);
        var digitRandom = random.Fork(5);
        var distractorRandom = random.Fork(6);
        bool plain = random.Chance(v.PlainShare);
        bool empty = pool.Count == 0 || options.MaxDigits == 0 || random.Chance(options.EmptyFraction);
        uint inkSeed = (uint)random.NextUInt64();

        var (width, height) = plain ? (options.Width, options.Height) : Canvas(v.Layout, options, layoutRandom);
        var mode = plain ? InkMode.DarkOnLight : InkStyle.SampleMode(v.Ink, inkRandom);
        var paper = plain ? PaperStyle.SamplePlain(width, height, paperRandom) : PaperStyle.Sample(v.Paper, mode, width, height, paperRandom);
        var ink = plain ? InkStyle.SamplePlain(inkRandom) : InkStyle.Sample(v.Ink, mode, inkRandom);
        var capture = plain ? CaptureStyle.SamplePlain(captureRandom) : CaptureStyle.Sample(v.Capture, captureRandom);
        var warp = capture.Warp(width, height);

        var placer = new DigitPlacer(width, height, warp);
        var marks = new List<StrokeMark>();
        bool cut = !plain && layoutRandom.Chance(v.Layout.CutShare);
        bool rows = !plain && layoutRandom.Chance(v.Layout.RowsShare);
        bool touching = rows && layoutRandom.Chance(v.Layout.TouchingShare);
        if (!empty)
        {
            var layout = new DigitLayout(source, pool, options, width, height, ink, placer, digitRandom, inkRandom);
            float minVisible = (float)v.Layout.MinVisibleInk;
            if (rows) layout.Rows(touching, cut, minVisible, v.Layout.MaxRowDigits, paper);
            else layout.Scatter(cut, minVisible);
            marks.AddRange(layout.Marks);
        }
        if (!plain && distractorRandom.Chance(v.Distractors.Share))
            marks.AddRange(DistractorPlanner.Plan(v.Distractors, options, width, height, ink, placer, distractorRandom, inkRandom, source.LabelledGlyphs));

        var page = PaperPainter.Paint(paper, warp, width, height);
        foreach (var mark in marks) StrokePainter.Paint(page, mark, warp, inkSeed);
        var background = new RgbImage(width, height, (byte[])page.Pixels.Clone());
        var placed = new List<PlacedDigit>(placer.Placed.Count);
        foreach (var digit in placer.Placed)
        {
            if (Write(page, digit, warp, inkSeed) is { } box) placed.Add(new PlacedDigit(digit.ClassId, digit.SourceIndex, box));
        }
        if (mode == InkMode.Inverted)
        {
            Invert(page);
            Invert(background);
        }
        var image = CaptureEffects.Apply(page, capture);
        var style = new SceneStyle(plain, mode, paper, ink, capture, rows, touching, cut, marks.Count);
        return options.QuarterTurn == 0
            ? new RenderedScene(image, page, background, placed, style)
            : Turn(image, page, background, placed, options.QuarterTurn, style);
    }

    /// <summary>The canvas of a varied scene: the options' size, or (with the aspect share) the long side kept and the short one divided by 1..MaxAspect.</summary>
    private static (int Width, int Height) Canvas(LayoutVariation layout, SceneOptions options, SceneRandom random)
    {
        double scale = layout.MinScale < 1 ? random.Uniform(layout.MinScale, 1) : 1;
        if (!random.Chance(layout.AspectShare))
            return (Math.Max(16, (int)Math.Round(options.Width * scale)), Math.Max(16, (int)Math.Round(options.Height * scale)));
        double aspect = random.Uniform(1, layout.MaxAspect);
        int longSide = Math.Max(16, (int)Math.Round(Math.Max(options.Width, options.Height) * scale));
        int shortSide = Math.Max(16, (int)Math.Round(longSide / aspect));
        return random.Chance(0.5) ? (longSide, shortSide) : (shortSide, longSide);
    }

    /// <summary>Writes the digit's ink; returns the tight box of the pixels it changed, or null if it changed none.</summary>
    private static BoundingBox? Write(RgbImage image, InkedDigit digit, PageWarp warp, uint inkSeed)
    {
        var pixels = image.Pixels;
        var pen = digit.Pen;
        int bx0 = int.MaxValue, by0 = int.MaxValue, bx1 = int.MinValue, by1 = int.MinValue;
        for (int y = 0; y < digit.Height; y++)
        {
            int iy = digit.Y0 + y;
            if ((uint)iy >= (uint)image.Height) continue;
            for (int x = 0; x < digit.Width; x++)
            {
                float c = digit.Coverage[(y * digit.Width) + x];
                if (c <= 0) continue;
                int ix = digit.X0 + x;
                if (pen.Texture > 0)
                {
                    var (u, v) = warp.IsIdentity ? (ix + 0.5, iy + 0.5) : warp.ToPage(ix + 0.5, iy + 0.5);
                    c *= 1 - (pen.Texture * Math.Max(0, ValueNoise.Smooth((float)u, (float)v, pen.TextureCell, inkSeed)));
                }
                c *= digit.Darkness;
                int p = ((iy * image.Width) + ix) * 3;
                byte r = StrokePainter.Blend(pixels[p], pen.Colour.R, c);
                byte g = StrokePainter.Blend(pixels[p + 1], pen.Colour.G, c);
                byte b = StrokePainter.Blend(pixels[p + 2], pen.Colour.B, c);
                if (r == pixels[p] && g == pixels[p + 1] && b == pixels[p + 2]) continue;
                pixels[p] = r;
                pixels[p + 1] = g;
                pixels[p + 2] = b;
                bx0 = Math.Min(bx0, ix);
                by0 = Math.Min(by0, iy);
                bx1 = Math.Max(bx1, ix);
                by1 = Math.Max(by1, iy);
            }
        }
        return bx1 < 0 ? null : new BoundingBox(bx0, by0, bx1 + 1, by1 + 1);
    }

    private static void Invert(RgbImage image)
    {
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i++) p[i] = (byte)(255 - p[i]);
    }

    /// <summary>The scene turned clockwise; a box (x0, y0, x1, y1) of a W x H image becomes (H - y1, x0, H - y0, x1) at 90 degrees.</summary>
    private static RenderedScene Turn(RgbImage image, RgbImage page, RgbImage background, List<PlacedDigit> digits, int degrees, SceneStyle style)
    {
        int w = image.Width, h = image.Height;
        var turned = digits.Select(d => d with
        {
            Box = degrees switch
            {
                90 => new BoundingBox(h - d.Box.Y1, d.Box.X0, h - d.Box.Y0, d.Box.X1),
                180 => new BoundingBox(w - d.Box.X1, h - d.Box.Y1, w - d.Box.X0, h - d.Box.Y0),
                _ => new BoundingBox(d.Box.Y0, w - d.Box.X1, d.Box.Y1, w - d.Box.X0),
            },
        }).ToList();
        return new RenderedScene(ImageRotation.RotateClockwise(image, degrees), ImageRotation.RotateClockwise(page, degrees),
            ImageRotation.RotateClockwise(background, degrees), turned, style);
    }
}
