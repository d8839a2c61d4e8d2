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
    public void VariationOptionsShapeTheScenesAndReachTheFingerprint()
    {
        string dir = Path.Combine(TinyScenes.NewTempDirectory("cli-vary"), "scenes");
        string[] args = ["data", "--out", dir, "--train", "2", "--val", "1", "--test", "1", "--width", "80", "--height", "48", "--min-digit", "10", "--max-digit", "20",
            "--variation", "capture", "--plain-share", "0", "--vary", "capture.jpegShare=1", "--vary", "layout.cutShare=0.5", "--turn", "90", "--min-digits", "2"];

        Assert.That(DigitMlApp.Run(args), Is.EqualTo(0));
        string marker = File.ReadAllText(Path.Combine(dir, SceneDatasetMarker.FileName));
        Assert.Multiple(() =>
        {
            Assert.That(marker, Does.Contain("\"JpegShare\": 1").And.Contain("\"CutShare\": 0.5").And.Contain("\"QuarterTurn\": 90").And.Contain("\"MinDigits\": 2"));
            Assert.That(marker, Does.Contain("\"PlainShare\": 0,"));
            // turned by 90 degrees: a landscape canvas becomes portrait (unless the capture preset's aspect share reshaped it, which it does not)
            Assert.That(ImageDecoderSize(Path.Combine(dir, "images", "train", "000000.png")), Is.EqualTo((48, 80)));
        });
    }

    [Test]
    public void MontageWritesAContactSheetOfTrainScenes()
    {
        string png = Path.Combine(TinyScenes.NewTempDirectory("cli-montage"), "paper.png");
        Assert.That(DigitMlApp.Run(["data", "--montage", png, "--variation", "paper", "--montage-count", "5", "--montage-columns", "3", "--imgsz", "64", "--min-digit", "10", "--max-digit", "24"]), Is.EqualTo(0));
        // 3 x 2 cells of 64 px with 4 px gaps
        Assert.That(ImageDecoderSize(png), Is.EqualTo(((3 * 64) + (4 * 4), (2 * 64) + (3 * 4))));
    }

    [Test]
    public void BadOptionsExitWithAUsageError()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DigitMlApp.Run(["data", "--train", "-1"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--min-digit", "40", "--max-digit", "20"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["import-mnist"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--vary", "capture.blur=1"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--vary", "capture.jpegShare=3"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--variation", "blurry"]), Is.EqualTo(ErrorReporter.UsageError));
            Assert.That(DigitMlApp.Run(["data", "--turn", "45"]), Is.EqualTo(ErrorReporter.UsageError));
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
