using DigitMl.Data;

namespace DigitMl.Tests.Data;

/// <summary>Variants that need absolute paths or writable folders, built in a temp folder per test.</summary>
public sealed class YoloDatasetPathTests
{
    private string temp = "";

    [SetUp]
    public void CreateFolder()
    {
        temp = Path.Combine(Path.GetTempPath(), $"digitml-data-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(temp, recursive: true);

    private string Image(string relative, byte[]? bytes = null)
    {
        string path = Path.Combine(temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes ?? FixtureImages.Png(16, 12, 3, DatasetFixtures.Box(0.5, 0.5, 0.5, 0.5)));
        return path;
    }

    private string Write(string relative, string text)
    {
        string path = Path.Combine(temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void AbsolutePathAndAbsoluteListEntries()
    {
        string root = Path.Combine(temp, "elsewhere");
        string a = Image("elsewhere/images/a.png");
        string b = Image("other/images/b.png");
        Write("elsewhere/labels/a.txt", "1 0.5 0.5 0.5 0.5\n");
        Write("elsewhere/all.txt", $"{b}\n{a}\n");
        string yaml = Write("config/data.yaml", $"path: {root}\ntrain: all.txt\nval: {Path.Combine(root, "images")}\n" + DatasetFixtures.Names3);

        var dataset = YoloDataset.Load(yaml);
        Assert.That(dataset.Root, Is.EqualTo(root));
        Assert.That(dataset.Split("train").Select(s => s.ImagePath), Is.EqualTo(new[] { a, b }), "sorted ordinal, whatever the list order");
        Assert.That(dataset.Split("train")[1].Objects, Is.Empty);
        Assert.That(dataset.SplitSources("val"), Is.EqualTo(new[] { Path.Combine(root, "images") }));
    }

    [Test]
    public void MissingPathFolderIsNamedWithTheYamlLine()
    {
        string yaml = Write("data.yaml", "names: [a]\npath: ../nowhere\ntrain: images\n");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml))!;
        Assert.That(error.Message, Does.Contain($"{yaml}:2: 'path': folder {Path.GetFullPath(Path.Combine(temp, "../nowhere"))} does not exist"));
    }

    [Test]
    public void PathRelativeToTheWorkingDirectoryIsAFallbackOnly()
    {
        Image("work/data/images/a.png");
        Image("config/data/images/b.png");
        string yaml = Write("config/ultralytics.yaml", "path: data\ntrain: images\nnames: [a]\n");
        string moved = Write("config/sub/ultralytics.yaml", "path: data\ntrain: images\nnames: [a]\n");
        string previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.Combine(temp, "work");
            Assert.That(YoloDataset.Load(yaml).Root, Is.EqualTo(Path.Combine(temp, "config", "data")), "next to the yaml wins");
            Assert.That(YoloDataset.Load(moved).Root, Is.EqualTo(Path.Combine(temp, "work", "data")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Test]
    public void ListEntryThatDoesNotExistIsReportedWithItsLine()
    {
        Image("images/a.png");
        string list = Write("train.txt", "images/a.png\nimages/missing.png\n");
        string yaml = Write("data.yaml", "train: train.txt\nnames: [a]\n");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml))!;
        Assert.That(error.Message, Does.Contain($"{list}:2: image not found: {Path.Combine(temp, "images", "missing.png")}"));
    }

    [Test]
    public void NamesMapWithAGapIsRejected()
    {
        Image("images/a.png");
        string yaml = Write("data.yaml", "train: images\nnames:\n  0: a\n  2: c\n");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml))!;
        Assert.That(error.Message, Does.Contain("no entry for class id(s) 1"));
    }

    [Test]
    public void InvalidYamlNamesTheLine()
    {
        string yaml = Write("data.yaml", "names: [a]\ntrain: images: x\n");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml))!;
        Assert.That(error.Message, Does.StartWith($"{yaml}:2: invalid YAML"));

        string unclosed = Write("unclosed.yaml", "names: [a]\ntrain: [images\nval: x\n");
        error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(unclosed))!;
        Assert.That(error.Message, Does.Contain($"{unclosed}: invalid YAML"));
    }

    [Test]
    public void NcWithoutNamesGivesNumberedNames()
    {
        Image("images/a.png");
        string yaml = Write("data.yaml", "train: images\nnc: 2\n");
        Assert.That(YoloDataset.Load(yaml).Names, Is.EqualTo(new[] { "class_0", "class_1" }));
    }

    [Test]
    public void YamlWithoutImageSourcesFails()
    {
        string yaml = Write("data.yaml", "names: [a]\ndownload: https://example.org/x.zip\n");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml))!;
        Assert.That(error.Message, Does.Contain("no image sources"));
    }

    [Test]
    public void VerifyPixelsFindsCorruptDataThatHeaderChecksMiss()
    {
        var png = FixtureImages.Png(16, 12, 3, DatasetFixtures.Box(0.5, 0.5, 0.5, 0.5));
        int idat = png.AsSpan().IndexOf("IDAT"u8);
        for (int i = idat + 6; i < idat + 20; i++) png[i] ^= 0x5A; // scramble the compressed pixels, keep IEND
        Image("images/bad.png", png);
        string yaml = Write("data.yaml", "train: images\nnames: [a]\n");
        Assert.That(YoloDataset.Load(yaml).Split("train"), Has.Count.EqualTo(1), "header and end marker are intact");
        var error = Assert.Throws<DatasetValidationException>(() => YoloDataset.Load(yaml, new YoloDatasetOptions { VerifyPixels = true }))!;
        Assert.That(error.Message, Does.Contain("bad.png: unreadable image"));
    }

    [Test]
    public void SkipReportDefaultsToAFileNextToTheYaml()
    {
        Image("images/a.png");
        Write("labels/a.txt", "5 0.5 0.5 0.5 0.5\n");
        string yaml = Write("data.yaml", "train: images\nnames: [a]\n");
        var dataset = YoloDataset.Load(yaml, new YoloDatasetOptions { SkipInvalid = true });
        Assert.That(dataset.Split("train"), Is.Empty);
        Assert.That(dataset.SkipReportPath, Is.EqualTo(Path.Combine(temp, "data.skipped.txt")));
        Assert.That(File.ReadAllText(dataset.SkipReportPath!), Does.Contain("a.txt:1: class id 5 outside names (0..0)"));
    }

    [Test]
    public void NothingSkippedWritesNoDefaultReport()
    {
        Image("images/a.png");
        string yaml = Write("data.yaml", "train: images\nnames: [a]\n");
        var dataset = YoloDataset.Load(yaml, new YoloDatasetOptions { SkipInvalid = true });
        Assert.That(dataset.SkipReportPath, Is.Null);
        Assert.That(File.Exists(Path.Combine(temp, "data.skipped.txt")), Is.False);
    }
}
