using DigitMl.Data;

namespace DigitMl.Tests.Data;

public sealed class YoloDatasetValidationTests
{
    private static string Dir(string fixture) => Path.GetDirectoryName(DatasetFixtures.Yaml(fixture))!;

    private static string Label(string fixture) => Path.Combine(Dir(fixture), "labels", "train", "img.txt");

    private static DatasetValidationException Fails(string fixture) =>
        Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(DatasetFixtures.Yaml(fixture)))!;

    [TestCase("err-field-count", 2, "expected 5 values")]
    [TestCase("err-class-id", 1, "class id 3 outside names (0..2)")]
    [TestCase("err-non-numeric", 1, "value 'abc' is not a number")]
    [TestCase("err-out-of-range", 1, "box corners outside [0,1]")]
    [TestCase("err-zero-area", 1, "zero-area box")]
    public void BadLabelLineIsReportedAsFileColonLine(string fixture, int line, string problem)
    {
        var error = Fails(fixture);
        Assert.That(error.Message, Does.Contain($"{Label(fixture)}:{line}: {problem}"));
        Assert.That(error.Problems, Has.Count.EqualTo(1));
        Assert.That(error.Problems[0].Line, Is.EqualTo(line));
    }

    [Test]
    public void TruncatedImage()
    {
        var error = Fails("err-truncated");
        Assert.That(error.Message, Does.Contain(Path.Combine(Dir("err-truncated"), "images", "train", "cut.png") + ": truncated PNG"));
    }

    [Test]
    public void UnreadableImage()
    {
        var error = Fails("err-unreadable");
        Assert.That(error.Message, Does.Contain(Path.Combine(Dir("err-unreadable"), "images", "train", "garbage.png") + ": unreadable image"));
    }

    [Test]
    public void ImageListedTwice()
    {
        var error = Fails("err-duplicate");
        string list = Path.Combine(Dir("err-duplicate"), "train.txt");
        Assert.That(error.Message, Does.Contain($"{list}:2: image ").And.Contain($"listed twice (first in {list}:1)"));
    }

    [Test]
    public void UnsupportedImageFormatIsNotIgnoredSilently()
    {
        var error = Fails("err-unsupported");
        Assert.That(error.Message, Does.Contain("scan.tif: unsupported image format .tif"));
    }

    [Test]
    public void MissingSplitFolderNamesKeyAndResolvedPath()
    {
        var error = Fails("err-missing-split");
        string yaml = DatasetFixtures.Yaml("err-missing-split");
        Assert.That(error.Message, Does.Contain($"{yaml}:2: 'val': {Path.Combine(Dir("err-missing-split"), "images", "nope")} does not exist"));
    }

    [Test]
    public void NcMustAgreeWithNames()
    {
        var error = Fails("err-nc-mismatch");
        Assert.That(error.Message, Does.Contain($"{DatasetFixtures.Yaml("err-nc-mismatch")}:2: 'nc' is 5 but 'names' has 3 entries"));
    }

    [Test]
    public void AllProblemsAreCollectedIntoOneException()
    {
        var error = Fails("mixed");
        Assert.That(error.Problems, Has.Count.EqualTo(2));
        Assert.That(error.Message, Does.StartWith($"{DatasetFixtures.Yaml("mixed")}: 2 problems:"));
        Assert.That(error.Message, Does.Contain("badline.txt:2: expected 5 values").And.Contain("cut.png: truncated PNG"));
    }

    [Test]
    public void SkipInvalidLeavesBadImagesOutAndWritesAReport()
    {
        string report = Path.Combine(Path.GetTempPath(), $"digitml-skip-{Guid.NewGuid():N}.txt");
        try
        {
            var dataset = YoloDataset.Load(DatasetFixtures.Yaml("mixed"), new YoloDatasetOptions { SkipInvalid = true, ReportPath = report });
            Assert.That(dataset.Split("train").Select(s => Path.GetFileName(s.ImagePath)), Is.EqualTo(new[] { "good.png" }));
            Assert.That(dataset.Problems, Has.Count.EqualTo(2));
            Assert.That(dataset.Problems.Select(p => Path.GetFileName(p.SkippedImage)), Is.EquivalentTo(new[] { "badline.png", "cut.png" }));
            Assert.That(dataset.SkipReportPath, Is.EqualTo(report));
            string text = File.ReadAllText(report);
            Assert.That(text, Does.Contain("badline.txt:2: expected 5 values").And.Contain("(skipped image ").And.Contain("cut.png: truncated PNG"));
            Assert.That(text, Does.Contain("2 problems, 2 images left out"));
        }
        finally
        {
            File.Delete(report);
        }
    }

    [Test]
    public void LongProblemListsAreCutAfterTwentyWithACount()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"digitml-many-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "images"));
            Directory.CreateDirectory(Path.Combine(dir, "labels"));
            File.WriteAllText(Path.Combine(dir, "data.yaml"), "train: images\n" + DatasetFixtures.Names3);
            File.WriteAllBytes(Path.Combine(dir, "images", "a.png"), FixtureImages.Png(16, 12, 3, DatasetFixtures.Box(0.5, 0.5, 0.5, 0.5)));
            File.WriteAllLines(Path.Combine(dir, "labels", "a.txt"), Enumerable.Repeat("9 0.5 0.5 0.5 0.5", 25));
            var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(Path.Combine(dir, "data.yaml")))!;
            Assert.That(error.Problems, Has.Count.EqualTo(25));
            Assert.That(error.Message, Does.Contain("a.txt:20: class id 9").And.Not.Contain("a.txt:21:").And.EndWith("... and 5 more"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void SplitsOutsideTheEagerSetAreValidatedOnFirstUse()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("folders"), new YoloDatasetOptions { Splits = ["val"] });
        Assert.That(dataset.Split("val"), Has.Count.EqualTo(1));
        Assert.That(dataset.Split("train"), Has.Count.EqualTo(5));
    }

    [TestCase("0 0.5 0.5 0.5 0.5", true)]
    [TestCase("1.0 0.5 0.5 0.5 0.5", true)]
    [TestCase("0 0.002 0.5 0.01 0.5", true)]
    [TestCase("0 0.5 0.5 -0.1 0.5", false)]
    [TestCase("0 NaN 0.5 0.5 0.5", false)]
    [TestCase("0 0.5 0.5 0.5 0.5 0.9", false)]
    [TestCase("-1 0.5 0.5 0.5 0.5", false)]
    [TestCase("1.5 0.5 0.5 0.5 0.5", false)]
    public void LineRules(string line, bool valid)
    {
        string? problem = YoloLabelFile.ParseLine(line, 100, 50, 3, 0.01f, out _);
        Assert.That(problem is null, Is.EqualTo(valid), problem);
    }

    [Test]
    public void SegmentLineBecomesTheBoxAroundItsPoints()
    {
        Assert.That(YoloLabelFile.ParseLine("2 0.1 0.2 0.5 0.1 0.3 0.8", 100, 50, 3, 0.01f, out var box), Is.Null);
        Assert.That(box!.Value.ClassId, Is.EqualTo(2));
        Assert.That(box.Value.Box.X0, Is.EqualTo(10f).Within(1e-4));
        Assert.That(box.Value.Box.Y0, Is.EqualTo(5f).Within(1e-4));
        Assert.That(box.Value.Box.X1, Is.EqualTo(50f).Within(1e-4));
        Assert.That(box.Value.Box.Y1, Is.EqualTo(40f).Within(1e-4));
    }

    [TestCase("/data/images/train/a.jpg", "/data/labels/train/a.txt")]
    [TestCase("/images/x/images/b.png", "/images/x/labels/b.txt")]
    [TestCase("/flat/c.webp", "/flat/c.txt")]
    public void LabelPathRule(string image, string label) =>
        Assert.That(ImageFileFormats.LabelPathFor(image), Is.EqualTo(label));
}
