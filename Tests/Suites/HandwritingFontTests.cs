using DigitMl.Data.Scenes;
using DigitMl.Experiments.Suites;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Suites;

/// <summary>The unseen-writers digits: found where the Debian packages put them, drawn at the asked size, never for training.</summary>
public sealed class HandwritingFontTests
{
    [Test]
    public void EveryCatalogFontIsInstalled()
    {
        // .ci/run installs the packages on a fresh machine; without them this fails with the apt-get line to run
        Assert.That(HandwritingFonts.Require(), Has.Count.EqualTo(HandwritingFonts.Catalog.Count));
        Assert.That(HandwritingFonts.Packages, Has.Count.GreaterThanOrEqualTo(8));
    }

    [Test]
    public void TheCiScriptInstallsEveryPackageOfTheCatalog()
    {
        string script = File.ReadAllText(Path.Combine(DigitMl.Experiments.Cli.RepositoryLayout.Root, ".ci", "run"));
        var line = script.Split('\n').Single(l => l.StartsWith("font_packages=", StringComparison.Ordinal));
        var listed = line["font_packages=".Length..].Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(listed, Is.EquivalentTo(HandwritingFonts.Packages));
    }

    [Test]
    public void MissingFontsAreNamedWithTheirPackage()
    {
        var error = Assert.Throws<FileNotFoundException>(() => HandwritingFonts.Require([new HandwritingFont("fonts-nowhere", "/nonexistent/font.ttf")]));
        Assert.That(error!.Message, Does.Contain("fonts-nowhere").And.Contain("apt-get install -y fonts-nowhere").And.Contain("/nonexistent/font.ttf"));
    }

    [Test]
    public void EachFontDrawsTenDigitsAtTheAskedHeight()
    {
        using var source = new FontDigitSource(HandwritingFonts.Require());
        Assert.That(source.Pool("test"), Has.Count.EqualTo(HandwritingFonts.Catalog.Count * 10));
        foreach (int index in source.Pool("test"))
        {
            string what = $"{Path.GetFileName(source.Fonts[index / 10].Path)} digit {source.ClassOf(index)}";
            foreach (int height in new[] { 12, 40 })
            {
                var patch = source.Draw(index, height, (ulong)index * 7919);
                Assert.That(patch, Is.Not.Null, what);
                Assert.That(patch!.BoxHeight, Is.InRange(height - 3, height + 2), what);
                Assert.That(patch.BoxWidth, Is.InRange(1, height * 2), what);
                Assert.That(patch.BoxX0 > 0 && patch.BoxY0 > 0 && patch.BoxX1 < patch.Width && patch.BoxY1 < patch.Height, Is.True, $"{what}: nothing clipped");
            }
        }
        Assert.That(source.ClassOf(123), Is.EqualTo(3));
    }

    [Test]
    public void FontDigitsNeverReachATrainingSplit()
    {
        using var source = new FontDigitSource(HandwritingFonts.Require());
        Assert.Multiple(() =>
        {
            Assert.That(source.MayTrain, Is.False);
            Assert.That(source.Pool("train"), Is.Empty);
            Assert.That(source.Pool("val"), Is.Empty);
        });
        string dir = Path.Combine(TinyScenes.NewTempDirectory("fonts"), "ds");
        var error = Assert.Throws<ArgumentException>(() => SceneGenerator.Generate(source, dir, new SceneOptions { Train = 2, Val = 0, Test = 2 }));
        Assert.That(error!.Message, Does.Contain("evaluation only"));
        Assert.That(Directory.Exists(dir), Is.False);
        string yaml = SceneGenerator.Generate(source, dir, new SceneOptions { Train = 0, Val = 0, Test = 3, Variation = SceneVariation.Plain });
        Assert.That(Directory.GetFiles(Path.Combine(Path.GetDirectoryName(yaml)!, "images", "test")), Has.Length.EqualTo(3));
    }
}
