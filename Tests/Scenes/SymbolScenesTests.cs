using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Experiments.Cli;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>`data --symbols`: handwritten minus signs, points and plus signs as classes after the ten digits.</summary>
public sealed class SymbolScenesTests
{
    [Test]
    public void DataSymbolsAddsClassesAfterTheDigitsWithBoxesOfTheirOwnShape()
    {
        string dir = Path.Combine(TinyScenes.NewTempDirectory("symbols"), "scenes");
        Assert.That(DigitMlApp.Run(["data", "--out", dir, "--symbols", "minus,point", "--symbol-share", "0.3", "--train", "40", "--val", "2", "--test", "2", "--imgsz", "96", "--seed", "4"]), Is.EqualTo(0));

        var dataset = YoloDataset.Load(Path.Combine(dir, SceneGenerator.DataYamlFileName));
        Assert.That(dataset.Names, Is.EqualTo(new[] { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "minus", "point" }));
        var objects = dataset.Split("train").SelectMany(s => s.Objects).ToList();
        var minus = objects.Where(o => o.ClassId == 10).ToList();
        var point = objects.Where(o => o.ClassId == 11).ToList();
        var digits = objects.Where(o => o.ClassId < 10).ToList();
        TestContext.Out.WriteLine($"{digits.Count} digits, {minus.Count} minus signs, {point.Count} points");
        Assert.Multiple(() =>
        {
            // 30 % of the marks are symbols, split between the two
            Assert.That(minus, Has.Count.GreaterThan(15));
            Assert.That(point, Has.Count.GreaterThan(15));
            Assert.That(minus.Count + point.Count, Is.InRange(objects.Count / 6, objects.Count / 2));
            // a minus sign is a flat bar, a point a small dab, a digit taller than wide
            Assert.That(minus.Count(o => o.Box.Width > 1.8f * o.Box.Height), Is.GreaterThan(minus.Count * 0.9));
            Assert.That(Median(point.Select(o => o.Box.Width / o.Box.Height)), Is.InRange(0.6, 1.7));
            Assert.That(Median(point.Select(o => o.Box.Height)), Is.LessThan(Median(digits.Select(o => o.Box.Height)) / 3));
            Assert.That(Median(digits.Select(o => o.Box.Width / o.Box.Height)), Is.LessThan(1));
        });
    }

    [Test]
    public void TheSameSymbolsAndSeedGiveTheSameBytes()
    {
        var digits = new MnistDigitSource(TinyScenes.Mnist);
        var options = TinyScenes.Options(12, 1, 1, imgsz: 64, seed: 5) with { Variation = SceneVariation.Mixed };
        string Generate(string name) => Path.GetDirectoryName(SceneGenerator.Generate(new SymbolDigitSource(digits, [SceneSymbol.Minus, SceneSymbol.Plus]),
            Path.Combine(TinyScenes.NewTempDirectory(name), "scenes"), options))!;
        string a = Generate("symbols-a"), b = Generate("symbols-b");
        foreach (string file in Directory.GetFiles(Path.Combine(a, "images", "train")).Concat(Directory.GetFiles(Path.Combine(a, "labels", "train"))))
        {
            string other = Path.Combine(b, Path.GetRelativePath(a, file));
            Assert.That(File.ReadAllBytes(other), Is.EqualTo(File.ReadAllBytes(file)), Path.GetRelativePath(a, file));
        }
        Assert.That(new SymbolDigitSource(digits, [SceneSymbol.Minus]).Fingerprint, Is.Not.EqualTo(new SymbolDigitSource(digits, [SceneSymbol.Plus]).Fingerprint),
            "another symbol list is another dataset: a cached one is regenerated");
    }

    [Test]
    public void AnUnknownSymbolIsAUsageErrorNamingTheValidOnes()
    {
        var (code, _, error) = CliInProcess.Run("data", "--symbols", "minus,comma");
        Assert.That(code, Is.EqualTo(ErrorReporter.UsageError));
        Assert.That(error, Does.Contain("unknown symbol 'comma'").And.Contain("minus (-), point (.), plus (+)"));
    }

    private static double Median(IEnumerable<float> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
