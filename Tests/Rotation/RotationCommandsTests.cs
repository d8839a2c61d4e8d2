using DigitMl.Experiments.Cli;
using DigitMl.Data;
using DigitMl.Tests.TestData;
using Spectre.Console.Cli;

namespace DigitMl.Tests.Rotation;

public sealed class RotationCommandsTests
{
    private static int Run(params string[] args)
    {
        var app = new CommandApp();
        app.Configure(DigitMlApp.Configure);
        return app.Run(args);
    }

    [Test]
    public void AugmentWithRelabelWritesAReadableDataset()
    {
        string source = TinyScenes.Create(6, 2, 2, imgsz: 32, seed: 8);
        string outDir = Path.Combine(TinyScenes.NewTempDirectory("augment-cli"), "out");
        int code = Run("augment", "--data", source, "--out", outDir, "--rotate", "90,180", "--policy", "relabel", "--relabel", "6:9,9:6");
        Assert.That(code, Is.Zero);
        var written = YoloDataset.Load(Path.Combine(outDir, "data.yaml"));
        Assert.That(written.Split("train"), Has.Count.EqualTo(18));
        Assert.That(written.Split("val"), Has.Count.EqualTo(2));
        var original = YoloDataset.Load(source).Split("train");
        int sixes = original.Sum(s => s.Objects.Count(o => o.ClassId == 6));
        int nines = original.Sum(s => s.Objects.Count(o => o.ClassId == 9));
        var at180 = written.Split("train").Where(s => Path.GetFileNameWithoutExtension(s.ImagePath).EndsWith("_rot180", StringComparison.Ordinal)).ToList();
        Assert.That(at180.Sum(s => s.Objects.Count(o => o.ClassId == 9)), Is.EqualTo(sixes), "sixes turned by 180 are labelled 9");
        Assert.That(at180.Sum(s => s.Objects.Count(o => o.ClassId == 6)), Is.EqualTo(nines));
    }

    [TestCase("--policy", "sideways")]
    [TestCase("--rotate", "45")]
    [TestCase("--policy", "relabel")]
    public void AugmentRejectsBadOptions(string option, string value)
    {
        string source = TinyScenes.Create(6, 2, 2, imgsz: 32, seed: 8);
        string outDir = Path.Combine(TinyScenes.NewTempDirectory("augment-cli-bad"), "out");
        Assert.That(Run("augment", "--data", source, "--out", outDir, option, value), Is.Not.Zero);
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void DataWithRotationsAddsTurnedTestSplits()
    {
        string outDir = Path.Combine(TinyScenes.NewTempDirectory("data-rotations"), "scenes");
        int code = Run("data", "--out", outDir, "--train", "2", "--val", "1", "--test", "3", "--imgsz", "32",
            "--min-digit", "8", "--max-digit", "12", "--max-digits", "2", "--rotations", "0,90,180,270");
        Assert.That(code, Is.Zero);
        var dataset = YoloDataset.Load(Path.Combine(outDir, "data.yaml"));
        foreach (var split in new[] { "test_rot0", "test_rot90", "test_rot180", "test_rot270" })
            Assert.That(dataset.Split(split), Has.Count.EqualTo(3), split);
    }
}
