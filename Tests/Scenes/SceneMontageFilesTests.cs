using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Suites;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

/// <summary>
/// The montages in docs/ (shown in docs/scenes.md) are what the generator draws: each committed PNG decodes to the
/// pixels the generator makes now. After a change to the drawing, rewrite them with
/// `DIGITML_REGENERATE_MONTAGES=1 dotnet test Tests --filter FullyQualifiedName~DocsMontagesShowWhatTheGeneratorDraws`.
/// </summary>
public sealed class SceneMontageFilesTests
{
    /// <summary>File in docs/, and the montage: the first 12 train scenes of the default dataset, or of one family at its strong setting.</summary>
    public static IEnumerable<TestCaseData> Montages()
    {
        foreach (string name in new[] { "mixed", "paper", "ink", "light-on-dark", "capture", "geometry", "distractors" })
            yield return new TestCaseData($"scenes-{name}.png", name).SetArgDisplayNames(name);
        yield return new TestCaseData("scenes-writers.png", "writers").SetArgDisplayNames("writers");
        yield return new TestCaseData("scenes-sheet.png", "sheet").SetArgDisplayNames("sheet");
    }

    [TestCaseSource(nameof(Montages))]
    public void DocsMontagesShowWhatTheGeneratorDraws(string file, string what)
    {
        var montage = Render(what);
        string path = Path.Combine(RepositoryLayout.Root, "docs", file);
        if (Environment.GetEnvironmentVariable("DIGITML_REGENERATE_MONTAGES") == "1") ImageEncoder.SavePng(montage, path);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: regenerate the montages (see the class comment)");
        var committed = ImageDecoder.Decode(path);
        Assert.That((committed.Width, committed.Height), Is.EqualTo((montage.Width, montage.Height)), file);
        Assert.That(committed.Pixels.SequenceEqual(montage.Pixels), Is.True, $"{file} no longer shows what the generator draws: regenerate the montages");
    }

    private static RgbImage Render(string what)
    {
        var mnist = new MnistDigitSource(TinyScenes.Mnist);
        switch (what)
        {
            case "writers":
            {
                using var fonts = new FontDigitSource(HandwritingFonts.Require());
                var writers = RobustnessConditions.All().Single(c => c.Name == "writers").Options;
                return SceneMontage.Render(fonts, writers, "test", 12, 6);
            }
            case "sheet":
                return SceneMontage.Render(mnist, SceneOptions.Sheets(1, RobustnessConditions.SheetSeed), "test", 1, 1, maxCell: 800);
            default:
                return SceneMontage.Render(mnist, SceneOptions.Default with { Variation = SceneVariation.Preset(what) }, "train", 12, 6);
        }
    }
}
