using System.Reflection;
using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>The variation options: keys, validation, presets, the dataset fingerprint, shares, and the quarter turn.</summary>
public sealed class SceneVariationOptionsTests
{
    [Test]
    public void EveryOptionIsPartOfTheDatasetFingerprint()
    {
        var source = new MnistDigitSource(TinyScenes.Mnist);
        string reference = SceneDatasetMarker.Expected(SceneOptions.Default, source);
        Assert.That(SceneVariation.Keys, Has.Count.GreaterThan(50));
        foreach (string key in SceneVariation.Keys)
        {
            var changed = SceneOptions.Default with { Variation = SceneVariation.Mixed.With(key, ChangedValue(key)) };
            changed.Validate();
            Assert.That(SceneDatasetMarker.Expected(changed, source), Is.Not.EqualTo(reference), key);
        }
        foreach (var property in typeof(SceneOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType != typeof(SceneVariation)))
        {
            var clone = SceneOptions.Default with { };
            object value = property.GetValue(clone)!;
            object other = value switch
            {
                int i when property.Name == nameof(SceneOptions.QuarterTurn) => (object)(i + 90),
                int i => (object)(i + 1),
                double d => (object)(d / 2),
                _ => throw new AssertionException(property.Name),
            };
            property.SetValue(clone, other);
            Assert.That(SceneDatasetMarker.Expected(clone, source), Is.Not.EqualTo(reference), property.Name);
        }
    }

    private static string ChangedValue(string key)
    {
        var family = typeof(SceneVariation).GetProperties().FirstOrDefault(p => key.StartsWith(p.Name, StringComparison.OrdinalIgnoreCase) && key.Contains('.'));
        var record = family?.GetValue(SceneVariation.Mixed) ?? SceneVariation.Mixed;
        var option = record.GetType().GetProperties().First(p => string.Equals(p.Name, key.Split('.')[^1], StringComparison.OrdinalIgnoreCase));
        object value = option.GetValue(record)!;
        return value switch
        {
            int i => (i == 1 ? 2 : i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            double d => (d == 0 ? 0.01 : d * 0.97).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new AssertionException(key),
        };
    }

    [Test]
    public void WithSetsOneOptionByItsKeyAndExplainsBadKeys()
    {
        var v = SceneVariation.Mixed.With("capture.jpegShare", "0.7").With("LAYOUT.MaxRowDigits", "9").With("plainShare", "0.1");
        Assert.Multiple(() =>
        {
            Assert.That(v.Capture.JpegShare, Is.EqualTo(0.7));
            Assert.That(v.Layout.MaxRowDigits, Is.EqualTo(9));
            Assert.That(v.PlainShare, Is.EqualTo(0.1));
            Assert.That(v.Paper, Is.EqualTo(SceneVariation.Mixed.Paper), "the rest is unchanged");
            Assert.That(SceneVariation.Mixed.Capture.JpegShare, Is.EqualTo(0.3), "the preset itself is unchanged");
        });
        Assert.That(() => SceneVariation.Mixed.With("capture.jpegShar", "1"), Throws.ArgumentException.With.Message.Contains("capture.jpegShare"));
        Assert.That(() => SceneVariation.Mixed.With("capture", "1"), Throws.ArgumentException.With.Message.Contains("capture.defocusShare"));
        Assert.That(() => SceneVariation.Mixed.With("layout.maxRowDigits", "2.5"), Throws.ArgumentException.With.Message.Contains("whole number"));
        Assert.That(() => SceneVariation.Mixed.With("ink.redWeight", "red"), Throws.ArgumentException.With.Message.Contains("not a number"));
        Assert.That(() => SceneVariation.Mixed.With("capture.jpegShare", "2").Validate(), Throws.ArgumentException.With.Message.Contains("capture.jpegShare"));
        Assert.That(() => (SceneOptions.Default with { QuarterTurn = 45 }).Validate(), Throws.ArgumentException.With.Message.Contains("quarter turn"));
        Assert.That(() => SceneVariation.Preset("blurry"), Throws.ArgumentException.With.Message.Contains("light-on-dark"));
    }

    [Test]
    public void PresetsAndDefaultsValidate()
    {
        foreach (var (name, preset) in SceneVariation.Presets) Assert.That(preset.Validate, Throws.Nothing, name);
        Assert.That(SceneOptions.Sheets(4, 1).Validate, Throws.Nothing);
        Assert.That(SceneOptions.Default.Variation, Is.EqualTo(SceneVariation.Mixed), "the default dataset is the mix");
    }

    [Test]
    public void SharesPickTheirEffectInAboutThatShareOfScenes()
    {
        var styles = ScenePixels.Many(SceneVariation.Mixed, 400, seed: 11).Select(s => s.Style).ToList();
        double Share(Func<SceneStyle, bool> f) => styles.Count(f) / (double)styles.Count;
        var m = SceneVariation.Mixed;
        double varied = 1 - m.PlainShare;
        Assert.Multiple(() =>
        {
            Assert.That(Share(s => s.Plain), Is.EqualTo(m.PlainShare).Within(0.06));
            Assert.That(Share(s => s.Mode != InkMode.DarkOnLight), Is.EqualTo(varied * m.Ink.LightOnDarkShare).Within(0.05));
            Assert.That(Share(s => s.Capture.JpegQuality > 0), Is.EqualTo(varied * m.Capture.JpegShare).Within(0.06));
            Assert.That(Share(s => s.Capture.RotationDegrees != 0), Is.EqualTo(varied * m.Capture.RotationShare).Within(0.06));
            Assert.That(Share(s => s.Rows), Is.EqualTo(varied * m.Layout.RowsShare).Within(0.06));
            Assert.That(Share(s => s.Cut), Is.EqualTo(varied * m.Layout.CutShare).Within(0.06));
            Assert.That(Share(s => s.Paper.Lines != LineKind.None), Is.EqualTo((m.PlainShare * 0.3) + (varied * (1 - (m.Ink.LightOnDarkShare * 2 / 3)) * m.Paper.LinedShare)).Within(0.07));
        });
        Assert.That(styles.Where(s => s.Plain).All(s => s.Capture.JpegQuality == 0 && s.Marks == 0 && !s.Rows && s.Mode == InkMode.DarkOnLight), Is.True, "plain scenes have no effect");
    }

    [Test]
    public void TurnedScenesAreTheUprightScenesTurnedWithTheirBoxes()
    {
        var options = SceneOptions.Default with { Width = 96, Height = 64, Variation = SceneVariation.Mixed };
        for (int i = 0; i < 10; i++)
        {
            var upright = ScenePixels.Render(options.Variation, i, options: options);
            foreach (int turn in new[] { 90, 180, 270 })
            {
                var turned = ScenePixels.Render(options.Variation, i, options: options with { QuarterTurn = turn });
                Assert.That(turned.Image.Pixels, Is.EqualTo(ImageRotation.RotateClockwise(upright.Image, turn).Pixels), $"scene {i} at {turn}");
                var (w, h) = (upright.Image.Width, upright.Image.Height);
                var expected = upright.Digits.Select(d => d.Box).Select(b => turn switch
                {
                    90 => new BoundingBox(h - b.Y1, b.X0, h - b.Y0, b.X1),
                    180 => new BoundingBox(w - b.X1, h - b.Y1, w - b.X0, h - b.Y0),
                    _ => new BoundingBox(b.Y0, w - b.X1, b.Y1, w - b.X0),
                });
                Assert.That(turned.Digits.Select(d => d.Box), Is.EqualTo(expected), $"scene {i} at {turn}");
                Assert.That(turned.Digits.Select(d => d.ClassId), Is.EqualTo(upright.Digits.Select(d => d.ClassId)), "classes are kept (a turned 6 is still labelled 6)");
            }
        }
    }

    [Test]
    public void ExactMathAgreesWithTheLibrary()
    {
        for (double x = -20; x <= 20; x += 0.0137)
        {
            Assert.That(ExactMath.Sin(x), Is.EqualTo(Math.Sin(x)).Within(1e-13), $"sin {x}");
            Assert.That(ExactMath.Cos(x), Is.EqualTo(Math.Cos(x)).Within(1e-13), $"cos {x}");
            Assert.That(ExactMath.Exp(x), Is.EqualTo(Math.Exp(x)).Within(Math.Exp(x) * 1e-14), $"exp {x}");
        }
    }

    [Test]
    public void PageWarpMapsBackAndForth()
    {
        var warp = PageWarp.Create(160, 120, 7, 0.06, -0.04);
        foreach (var (x, y) in new[] { (0.0, 0.0), (80.0, 60.0), (159.5, 3.25), (12.0, 119.0) })
        {
            var (u, v) = warp.ToPage(x, y);
            var (bx, by) = warp.ToImage(u, v);
            Assert.That(bx, Is.EqualTo(x).Within(1e-9));
            Assert.That(by, Is.EqualTo(y).Within(1e-9));
        }
        Assert.That(PageWarp.Identity.ToPage(10.5, 3.5), Is.EqualTo((10.5, 3.5)));
    }
}
