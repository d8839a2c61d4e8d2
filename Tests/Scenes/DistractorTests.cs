using DigitMl.Data;
using DigitMl.Data.Scenes;

namespace DigitMl.Tests.Scenes;

/// <summary>Distractors add ink, never labels, and keep clear of the digits.</summary>
public sealed class DistractorTests
{
    [Test]
    public void DistractorsAreDrawnButNeverLabelled()
    {
        var without = ScenePixels.Many(SceneVariation.None, 20).ToList();
        var with = ScenePixels.Many(SceneVariation.None with { Distractors = DistractorVariation.Strong }, 20).ToList();
        int marks = 0;
        for (int i = 0; i < with.Count; i++)
        {
            // the distractors come from their own stream, after the digits: same digits, same boxes
            Assert.That(with[i].Digits, Is.EqualTo(without[i].Digits), $"scene {i}");
            Assert.That(with[i].Style.Marks, Is.GreaterThan(0), $"scene {i}");
            var paper = PaperPainter.Paint(with[i].Style.Paper, PageWarp.Identity, with[i].Image.Width, with[i].Image.Height);
            var markPixels = new HashSet<int>();
            for (int p = 0; p < paper.Pixels.Length; p += 3)
                if (paper.Pixels[p] != with[i].Background.Pixels[p] || paper.Pixels[p + 1] != with[i].Background.Pixels[p + 1] || paper.Pixels[p + 2] != with[i].Background.Pixels[p + 2]) markPixels.Add(p);
            Assert.That(markPixels, Is.Not.Empty, $"scene {i}: the marks are on the page");
            Assert.That(ScenePixels.InkPixels(with[i]).Where(markPixels.Contains), Is.Empty, $"scene {i}: no pixel is both digit and distractor ink");
            marks += with[i].Style.Marks;
        }
        Assert.That(marks, Is.GreaterThan(60));
    }

    [Test]
    public void GlyphsAvoidTheShapesOfDigits()
    {
        // letters that read as digits (O 0, I l 1, Z 2, S 5, G b 6, B 8, g q 9) are not in the set
        Assert.That(StrokeGlyphs.Letters.Keys, Has.None.AnyOf('O', 'o', 'I', 'l', 'Z', 'z', 'S', 's', 'G', 'b', 'B', 'g', 'q'));
        Assert.That(StrokeGlyphs.Punctuation.Keys, Has.None.AnyOf('/', '|', '!', '%'), "a lone slash or bar reads as a 1, % holds two zeros");
        foreach (var (key, glyph) in StrokeGlyphs.Letters.Concat(StrokeGlyphs.Punctuation))
            Assert.That(glyph.SelectMany(l => l).All(p => p.X is >= -0.1f and <= 1.1f && p.Y is >= -0.1f and <= 1.2f), Is.True, $"'{key}' stays in its unit box");
    }
}
