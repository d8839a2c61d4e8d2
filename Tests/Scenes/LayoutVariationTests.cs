using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>Canvas shapes, rows, touching neighbours and the rule for digits cut by the border.</summary>
public sealed class LayoutVariationTests
{
    private static SceneVariation Only(LayoutVariation layout) => SceneVariation.None with { Layout = layout };

    [Test]
    public void AspectScenesKeepTheLongSideAndAreUpToTwiceAsLong()
    {
        var scenes = ScenePixels.Many(Only(LayoutVariation.None with { AspectShare = 1 }), 40).ToList();
        foreach (var s in scenes)
        {
            int longSide = Math.Max(s.Image.Width, s.Image.Height), shortSide = Math.Min(s.Image.Width, s.Image.Height);
            Assert.That(longSide, Is.EqualTo(160));
            Assert.That(longSide / (double)shortSide, Is.InRange(1.0, 2.01));
        }
        Assert.That(scenes.Count(s => s.Image.Width > s.Image.Height), Is.InRange(8, 32), "landscape and portrait");
        Assert.That(scenes.Max(s => Math.Max(s.Image.Width, s.Image.Height) / (double)Math.Min(s.Image.Width, s.Image.Height)), Is.GreaterThan(1.7));
        Assert.That(ScenePixels.Many(Only(LayoutVariation.None), 10).All(s => s.Image.Width == 160 && s.Image.Height == 160), Is.True);
    }

    [Test]
    public void RowsPutDigitsSideBySideOnABaseline()
    {
        int rowsSeen = 0;
        foreach (var scene in ScenePixels.Many(Only(LayoutVariation.None with { RowsShare = 1 }), 30).Where(s => s.Digits.Count >= 3))
        {
            Assert.That(scene.Style.Rows, Is.True);
            // some digit with two others on its baseline (bottoms within a quarter of its height) and near it
            bool row = scene.Digits.Any(a => scene.Digits.Count(b => !b.Equals(a)
                && Math.Abs(a.Box.Y1 - b.Box.Y1) < (a.Box.Height / 4) + 2
                && Math.Abs(a.Box.CenterX - b.Box.CenterX) < 4 * a.Box.Height) >= 2);
            if (row) rowsSeen++;
        }
        Assert.That(rowsSeen, Is.GreaterThan(10));
    }

    [Test]
    public void TouchingNeighboursShareSomeBox()
    {
        int touching = 0;
        foreach (var scene in ScenePixels.Many(Only(LayoutVariation.None with { RowsShare = 1, TouchingShare = 1 }), 30))
        {
            var d = scene.Digits;
            for (int a = 0; a < d.Count; a++)
                for (int b = a + 1; b < d.Count; b++)
                    if (DigitPlacer.Intersection(d[a].Box, d[b].Box) > SceneRenderer.MaxOverlap * Math.Min(d[a].Box.Area, d[b].Box.Area)) touching++;
        }
        Assert.That(touching, Is.GreaterThan(10), "pairs that overlap more than scattered digits may");
    }

    [Test]
    public void CutDigitsAreLabelledWithTheirVisibleBoxOnlyWhenMostOfTheInkShows()
    {
        var patch = DigitPatch.Create(TinyScenes.Mnist.Pixels(TinyScenes.Mnist.Pool("train")[3]), 30)!;
        float total = patch.InkSum();
        int accepted = 0, refused = 0;
        for (int shift = 0; shift <= patch.BoxWidth; shift++)
        {
            var placer = new DigitPlacer(64, 64, PageWarp.Identity);
            // the ink box starts `shift` pixels left of the image
            var placed = placer.TryPlace(patch, 3, 0, -shift - patch.BoxX0, 10 - patch.BoxY0, 0.6f, 0);
            float visible = 0;
            for (int y = 0; y < patch.Height; y++)
                for (int x = patch.BoxX0 + shift; x < patch.Width; x++) visible += patch.Coverage[(y * patch.Width) + x];
            if (visible >= 0.6f * total)
            {
                Assert.That(placed, Is.Not.Null, $"shift {shift}: {visible / total:P0} visible");
                Assert.That(placed!.Box.X0, Is.Zero, "clipped at the border");
                Assert.That(placed.Box.X1, Is.EqualTo(patch.BoxWidth - shift));
                accepted++;
            }
            else
            {
                Assert.That(placed, Is.Null, $"shift {shift}: only {visible / total:P0} visible");
                refused++;
            }
        }
        Assert.That(accepted, Is.GreaterThan(0));
        Assert.That(refused, Is.GreaterThan(0));
    }

    [Test]
    public void CutScenesHaveDigitsAtTheBorderAndOthersNone()
    {
        static bool AtBorder(RenderedScene s) => s.Digits.Any(d => d.Box.X0 == 0 || d.Box.Y0 == 0 || d.Box.X1 == s.Image.Width || d.Box.Y1 == s.Image.Height);
        Assert.That(ScenePixels.Many(Only(LayoutVariation.None with { CutShare = 1 }), 30).Count(AtBorder), Is.GreaterThan(10));
        // without cutting a digit may touch the border only by chance (a box placed flush with it), and is whole then
        var uncut = ScenePixels.Many(Only(LayoutVariation.None), 30).ToList();
        Assert.That(uncut.Count(AtBorder), Is.LessThan(8));
    }

    [Test]
    public void DigitHeightsSpanTheConfiguredRange()
    {
        var heights = ScenePixels.Many(SceneVariation.Mixed, 80, options: SceneOptions.Default with { MinDigitHeight = 8, MaxDigitHeight = 40 })
            .SelectMany(s => s.Digits.Select(d => d.Box.Height)).ToList();
        Assert.That(heights.Min(), Is.LessThan(11));
        Assert.That(heights.Max(), Is.GreaterThan(36));
        // the heights are of the MNIST ink before bold strokes (up to 2 x 1.2 x h / 16) and tilt
        Assert.That(heights.Max(), Is.LessThanOrEqualTo(50));
    }
}
