using DigitMl.Data;
using DigitMl.Data.Scenes;

namespace DigitMl.Tests.Scenes;

/// <summary>Each paper option draws what docs/scenes.md says, where it says.</summary>
public sealed class PaperVariationTests
{
    private static readonly PaperStyle Blank = new() { Base = Rgb.Gray(220), Floor = 120, LineColour = new Rgb(150, 190, 240), LineOpacity = 1, MarginColour = new Rgb(240, 140, 150) };

    private static RgbImage Paint(PaperStyle style, PageWarp? warp = null) => PaperPainter.Paint(style, warp ?? PageWarp.Identity, 64, 48);

    private static (byte R, byte G, byte B) At(RgbImage image, int x, int y)
    {
        int p = ((y * image.Width) + x) * 3;
        return (image.Pixels[p], image.Pixels[p + 1], image.Pixels[p + 2]);
    }

    [Test]
    public void BlankPaperIsFlat()
    {
        var paper = Paint(Blank);
        Assert.That(paper.Pixels, Has.All.EqualTo((byte)220));
    }

    [Test]
    public void RuledLinesAreOnePixelRowsAtTheSpacing()
    {
        var paper = Paint(Blank with { Lines = LineKind.Ruled, Spacing = 10, PhaseV = 3, Thickness = 1 });
        for (int y = 0; y < paper.Height; y++)
        {
            var c = At(paper, 17, y);
            if (y % 10 == 3)
                Assert.That(c, Is.EqualTo(((byte)MathF.Round(220 * 150 / 255f), (byte)MathF.Round(220 * 190 / 255f), (byte)MathF.Round(220 * 240 / 255f))), $"row {y} is a line");
            else
                Assert.That(c, Is.EqualTo(((byte)220, (byte)220, (byte)220)), $"row {y} is paper");
        }
        Assert.That(Enumerable.Range(0, paper.Width).Select(x => At(paper, x, 13)).Distinct().Count(), Is.EqualTo(1), "a line is uniform along its row");
    }

    [Test]
    public void SquaredPaperAddsColumnsAndDottedPaperOnlyDots()
    {
        var squared = Paint(Blank with { Lines = LineKind.Squared, Spacing = 10, PhaseU = 5, PhaseV = 3, Thickness = 1 });
        Assert.That(At(squared, 5, 20).R, Is.LessThan(220), "column line");
        Assert.That(At(squared, 6, 20).R, Is.EqualTo(220));
        Assert.That(At(squared, 30, 23).R, Is.LessThan(220), "row line");

        var dotted = Paint(Blank with { Lines = LineKind.Dotted, Spacing = 10, PhaseU = 5, PhaseV = 3, Thickness = 2 });
        Assert.That(At(dotted, 5, 23).R, Is.LessThan(200), "a dot at a lattice point");
        Assert.That(At(dotted, 5, 18).R, Is.EqualTo(220), "nothing between the dots of a column");
        Assert.That(At(dotted, 10, 23).R, Is.EqualTo(220), "nothing between the dots of a row");
    }

    [Test]
    public void MarginIsTwoColumnsOfItsColour()
    {
        var paper = Paint(Blank with { MarginU = 12 });
        for (int x = 0; x < paper.Width; x++)
        {
            var c = At(paper, x, 30);
            if (x is 12 or 13) Assert.That(c.R > c.G + 30, Is.True, $"column {x} is the margin: {c}");
            else Assert.That(c, Is.EqualTo(((byte)220, (byte)220, (byte)220)), $"column {x}");
        }
    }

    [Test]
    public void TextureAddsDetailAndStainsDarkenOnlyNearTheirCentre()
    {
        Assert.That(ScenePixels.Detail(Paint(Blank with { TextureAmplitude = 20, TextureCell = 3, Seed = 5 })), Is.GreaterThan(1.0));
        var stained = Paint(Blank with { Stains = [new Stain(32, 24, 8, false, 2, new Rgb(150, 105, 55), 0.3f)], Seed = 5 });
        Assert.That(At(stained, 32, 24).B, Is.LessThan(200), "the stain's centre is darker, most in blue (brown)");
        Assert.That(At(stained, 32, 24).R, Is.GreaterThan(At(stained, 32, 24).B));
        Assert.That(At(stained, 2, 2), Is.EqualTo(((byte)220, (byte)220, (byte)220)), "far away the paper is untouched");
    }

    [Test]
    public void CreasesShadeOneSideAlongTheirLine()
    {
        var creased = Paint(Blank with { Creases = [new Crease(32, 24, 1, 0, 6, 0.15f)] });
        Assert.That(At(creased, 32, 10).R, Is.LessThan(200), "the fold (vertical line at u = 32)");
        Assert.That(At(creased, 30, 10).R, Is.LessThan(220), "shaded side");
        Assert.That(At(creased, 34, 10).R, Is.GreaterThan(220), "lit side");
        Assert.That(At(creased, 5, 10).R, Is.EqualTo(220), "away from the crease");
    }

    [Test]
    public void TiltedPagesTurnTheirLines()
    {
        var style = Blank with { Lines = LineKind.Ruled, Spacing = 10, PhaseV = 3, Thickness = 1 };
        double DarkestRowShare(RgbImage image) =>
            Enumerable.Range(0, image.Height).Max(y => Enumerable.Range(0, image.Width).Count(x => At(image, x, y).R < 200) / (double)image.Width);
        Assert.That(DarkestRowShare(Paint(style)), Is.EqualTo(1.0), "upright: a line fills its row");
        // turned by 8 degrees, each line crosses about seven rows: no row is mostly line
        Assert.That(DarkestRowShare(Paint(style, PageWarp.Create(64, 48, 8, 0, 0))), Is.LessThan(0.5));
        // a perspective tilt fans them out away from the centre: the line at row 3 no longer fills a row
        var tilted = Paint(style, PageWarp.Create(64, 48, 0, 0.2, 0));
        Assert.That(Enumerable.Range(0, 8).Max(y => Enumerable.Range(0, 64).Count(x => At(tilted, x, y).R < 200)), Is.LessThan(48));
    }

    [Test]
    public void SharesChooseLinesColourAndDarkGrounds()
    {
        var lined = PaperVariation.None with { LinedShare = 1 };
        var coloured = PaperVariation.None with { ColouredShare = 1 };
        for (int i = 0; i < 30; i++)
        {
            var random = SceneRandom.ForScene(1, 0, i);
            Assert.That(PaperStyle.Sample(lined, InkMode.DarkOnLight, 160, 160, random).Lines, Is.Not.EqualTo(LineKind.None));
            var c = PaperStyle.Sample(coloured, InkMode.DarkOnLight, 160, 160, SceneRandom.ForScene(2, 0, i)).Base;
            // coloured, or the darker grey of recycled paper
            float chroma = Math.Max(c.R, Math.Max(c.G, c.B)) - Math.Min(c.R, Math.Min(c.G, c.B));
            Assert.That(chroma > 12 || (c.R + c.G + c.B) / 3 < 200, Is.True, $"coloured paper {c}");
            foreach (var mode in new[] { InkMode.Chalkboard, InkMode.WhitePen })
            {
                var dark = PaperStyle.Sample(PaperVariation.Strong, mode, 160, 160, SceneRandom.ForScene(3, 0, i)).Base;
                Assert.That((0.299 * dark.R) + (0.587 * dark.G) + (0.114 * dark.B), Is.LessThan(100), $"{mode} ground {dark}");
            }
        }
        var none = PaperVariation.None;
        Assert.That(Enumerable.Range(0, 30).Select(i => PaperStyle.Sample(none, InkMode.DarkOnLight, 160, 160, SceneRandom.ForScene(4, 0, i)))
            .All(p => p.Lines == LineKind.None && float.IsNaN(p.MarginU) && p.Stains.Count == 0 && p.Creases.Count == 0 && p.TextureAmplitude == 0), Is.True);
    }
}
