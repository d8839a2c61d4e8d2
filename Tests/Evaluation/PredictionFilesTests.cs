using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Scoring;

namespace DigitMl.Tests.Evaluation;

public sealed class PredictionFilesTests
{
    private static readonly string[] Names = ["a", "b", "c"];
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("digitml-preds-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void WriteThenReadGivesTheSameDetections()
    {
        YoloSample[] samples = [new("/data/images/x1.png", 200, 100, []), new("/data/images/x2.jpg", 64, 64, [])];
        IReadOnlyList<Detection>[] detections =
        [
            [new Detection(2, "c", 0.875f, new BoundingBox(10, 20, 50, 60)), new Detection(0, "a", 0.5f, new BoundingBox(0, 0, 200, 100))],
            [],
        ];
        PredictionFiles.Write(_dir, samples, detections);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "x1.txt")), Does.StartWith("2 0.15 0.4 0.2 0.4 0.875\n"));
        Assert.That(File.ReadAllText(Path.Combine(_dir, "x2.txt")), Is.Empty);

        var back = PredictionFiles.Read(_dir, samples, Names);
        Assert.That(back[1], Is.Empty);
        Assert.That(back[0], Has.Count.EqualTo(2));
        Assert.That(back[0][0].ClassId, Is.EqualTo(2));
        Assert.That(back[0][0].Label, Is.EqualTo("c"));
        Assert.That(back[0][0].Score, Is.EqualTo(0.875f));
        Assert.That(back[0][0].Box.X0, Is.EqualTo(10).Within(1e-3));
        Assert.That(back[0][0].Box.Y1, Is.EqualTo(60).Within(1e-3));
    }

    [Test]
    public void MissingFileMeansNoDetections()
    {
        YoloSample[] samples = [new("/d/none.png", 10, 10, [])];
        Assert.That(PredictionFiles.Read(_dir, samples, Names)[0], Is.Empty);
    }

    [TestCase("0 0.5 0.5 0.1 0.1", "expected 6 values")]
    [TestCase("x 0.5 0.5 0.1 0.1 0.9", "class 'x' is not an integer")]
    [TestCase("3 0.5 0.5 0.1 0.1 0.9", "class 3 is outside 0..2")]
    [TestCase("1 0.5 abc 0.1 0.1 0.9", "'abc' is not a number")]
    [TestCase("1 0.5 0.5 -0.1 0.1 0.9", "negative width")]
    public void MalformedLineNamesFileAndLine(string badLine, string message)
    {
        var path = Path.Combine(_dir, "img.txt");
        File.WriteAllText(path, "0 0.5 0.5 0.2 0.2 0.9\n\n" + badLine + "\n");
        Assert.That(() => PredictionFiles.ReadFile(path, 100, 100, Names),
            Throws.InstanceOf<FormatException>().With.Message.Contains($"{path}:3").And.Message.Contains(message));
    }

    [Test]
    public void ClassWrittenAsWholeRealIsAccepted()
    {
        var path = Path.Combine(_dir, "img.txt");
        File.WriteAllText(path, "1.0 0.5 0.5 0.2 0.2 0.9\n");
        Assert.That(PredictionFiles.ReadFile(path, 100, 100, Names)[0].ClassId, Is.EqualTo(1));
    }

    [Test]
    public void TwoImagesWithOneStemAreRefused()
    {
        YoloSample[] samples = [new("/a/img.png", 10, 10, []), new("/b/img.png", 10, 10, [])];
        Assert.That(() => PredictionFiles.Write(_dir, samples, [[], []]), Throws.ArgumentException.With.Message.Contains("share the stem"));
    }
}
