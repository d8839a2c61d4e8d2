using DigitMl.Experiments.Cli;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class DataCommandTests
{
    [Test]
    public void DataWritesTheRequestedDatasetAndThenReportsItUpToDate()
    {
        string dir = Path.Combine(TinyScenes.NewTempDirectory("cli"), "scenes");
        string[] args = ["data", "--out", dir, "--train", "3", "--val", "1", "--test", "2", "--width", "72", "--height", "48", "--seed", "9", "--min-digit", "10", "--max-digit", "20", "--max-digits", "3"];

        Assert.That(DigitMlApp.Run(args), Is.EqualTo(0));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(dir, SceneDatasetMarker.FileName));
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(Path.Combine(dir, "images", "test")), Has.Length.EqualTo(2));
            Assert.That(ImageDecoderSize(Path.Combine(dir, "images", "train", "000000.png")), Is.EqualTo((72, 48)));
            Assert.That(File.ReadAllText(Path.Combine(dir, SceneDatasetMarker.FileName)), Does.Contain("\"Seed\": 9").And.Contain("\"MaxDigits\": 3"));
        });
        Assert.That(DigitMlApp.Run(args), Is.EqualTo(0));
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(dir, SceneDatasetMarker.FileName)), Is.EqualTo(stamp), "second run regenerates nothing");
    }

    [Test]
    public void BadOptionsExitWithAUsageError()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DigitMlApp.Run(["data", "--train", "-1"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--min-digit", "40", "--max-digit", "20"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["import-mnist"]), Is.EqualTo(ErrorReporter.UsageError));
        });
    }

    [Test]
    public void ImportMnistWritesIdxFilesThatLoadBack()
    {
        string package = TinyScenes.NewTempDirectory("cli-npm");
        for (int d = 0; d <= 9; d++)
            File.WriteAllText(Path.Combine(package, $"{d}.json"), "{\"data\":[" + string.Join(',', Enumerable.Range(0, 784).Select(i => i == d ? "1" : "0")) + "]}");
        string output = TinyScenes.NewTempDirectory("cli-mnist");

        Assert.That(DigitMlApp.Run(["import-mnist", "--from", package, "--out", output]), Is.EqualTo(0));
        var digits = MnistDigits.Load(output);
        Assert.That(digits.Count, Is.EqualTo(10));
        Assert.That(Enumerable.Range(0, 10).Select(n => digits.Pixels(n)[n]), Has.All.EqualTo(255));
    }

    private static (int, int) ImageDecoderSize(string path) => DigitMl.Data.ImageDecoder.ReadSize(path);
}
