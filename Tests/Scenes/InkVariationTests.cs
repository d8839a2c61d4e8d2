using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>Pen colours, stroke weight, contrast and light ink on dark ground change the digits as documented.</summary>
public sealed class InkVariationTests
{
    private static readonly InkVariation NoPens = InkVariation.None with { BlackWeight = 0, BlueWeight = 0, RedWeight = 0, PencilWeight = 0, GreenWeight = 0 };

    private static IEnumerable<RenderedScene> WithPen(InkVariation ink) =>
        ScenePixels.Many(SceneVariation.None with { Ink = ink }, 30).Where(s => s.Digits.Count > 0);

    [Test]
    public void EachPenWritesInItsColour()
    {
        foreach (var scene in WithPen(NoPens with { RedWeight = 1 }))
        {
            var (r, g, b) = ScenePixels.PenColour(scene);
            Assert.That(r > g + 50 && r > b + 40, Is.True, $"red pen: {r:F0} {g:F0} {b:F0}");
        }
        foreach (var scene in WithPen(NoPens with { BlueWeight = 1 }))
        {
            var (r, g, b) = ScenePixels.PenColour(scene);
            Assert.That(b > r + 15 && b > g + 10, Is.True, $"blue pen: {r:F0} {g:F0} {b:F0}");
        }
        foreach (var scene in WithPen(NoPens with { GreenWeight = 1 }))
        {
            var (r, g, b) = ScenePixels.PenColour(scene);
            Assert.That(g > r + 25 && g > b + 10, Is.True, $"green pen: {r:F0} {g:F0} {b:F0}");
        }
        foreach (var scene in WithPen(NoPens with { BlackWeight = 1 }))
        {
            var (r, g, b) = ScenePixels.PenColour(scene);
            Assert.That(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)), Is.LessThan(25), $"black pen is neutral: {r:F0} {g:F0} {b:F0}");
        }
        foreach (var scene in WithPen(NoPens with { PencilWeight = 1 }))
        {
            var (r, g, b) = ScenePixels.PenColour(scene);
            Assert.That(Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)), Is.LessThan(20), $"pencil is grey: {r:F0} {g:F0} {b:F0}");
            Assert.That(scene.Style.Ink.Pen.Texture, Is.GreaterThan(0), "graphite leaves gaps");
        }
    }

    [Test]
    public void StrokeWeightMakesStrokesBolderOrThinner()
    {
        var digits = TinyScenes.Mnist;
        int checkedDigits = 0;
        foreach (int index in digits.Pool("train").Take(40))
        {
            var patch = DigitPatch.Create(digits.Pixels(index), 32)!;
            var bold = patch.WithStrokeWeight(2);
            var thin = patch.WithStrokeWeight(-1);
            Assert.That(bold.InkSum(), Is.GreaterThan(patch.InkSum() * 1.3f), $"digit {index} bold");
            Assert.That(bold.BoxWidth, Is.InRange(patch.BoxWidth + 2, patch.BoxWidth + 4), $"digit {index}: two pixels more on each side at most");
            if (!ReferenceEquals(thin, patch))
            {
                Assert.That(thin.InkSum(), Is.LessThan(patch.InkSum() * 0.85f), $"digit {index} thin");
                Assert.That(thin.BoxHeight, Is.GreaterThanOrEqualTo(patch.BoxHeight * 3 / 4), "erosion keeps the digit");
            }
            Assert.That(patch.WithStrokeWeight(0), Is.SameAs(patch));
            checkedDigits++;
        }
        Assert.That(checkedDigits, Is.EqualTo(40));
    }

    [Test]
    public void LowContrastInkIsFainterOnTheSameScenes()
    {
        // the ink stream draws the same number of values either way, so digits and places are the same
        double Contrast(InkVariation ink) => ScenePixels.Many(SceneVariation.None with { Ink = ink }, 30)
            .SelectMany(s => ScenePixels.InkPixels(s).Select(p => Math.Abs(ScenePixels.Luma(s.Page, p) - ScenePixels.Luma(s.Background, p))))
            .Average();
        var normal = InkVariation.None;
        var faint = InkVariation.None with { LowContrastShare = 1, LowContrastDarkness = 0.3 };
        Assert.That(ScenePixels.Many(SceneVariation.None with { Ink = faint }, 10).Select(s => s.Digits), Is.EqualTo(ScenePixels.Many(SceneVariation.None with { Ink = normal }, 10).Select(s => s.Digits)).AsCollection);
        Assert.That(Contrast(faint), Is.LessThan(Contrast(normal) * 0.75));
    }

    [TestCase(1, 0, 0)]
    [TestCase(0, 1, 0)]
    [TestCase(0, 0, 1)]
    public void LightOnDarkInkIsLighterThanItsGround(double chalkboard, double inverted, double whitePen)
    {
        var ink = InkVariation.None with { LightOnDarkShare = 1, ChalkboardWeight = chalkboard, InvertedWeight = inverted, WhitePenWeight = whitePen };
        int scenes = 0;
        foreach (var scene in ScenePixels.Many(SceneVariation.None with { Ink = ink }, 20).Where(s => s.Digits.Count > 0))
        {
            var pixels = ScenePixels.InkPixels(scene);
            double inkLuma = pixels.Average(p => ScenePixels.Luma(scene.Page, p)), groundLuma = pixels.Average(p => ScenePixels.Luma(scene.Background, p));
            Assert.That(inkLuma, Is.GreaterThan(groundLuma + 20), $"{scene.Style.Mode}: ink {inkLuma:F0} on ground {groundLuma:F0}");
            Assert.That(groundLuma, Is.LessThan(120), $"{scene.Style.Mode}: a dark ground");
            scenes++;
        }
        Assert.That(scenes, Is.GreaterThan(12));
    }
}
