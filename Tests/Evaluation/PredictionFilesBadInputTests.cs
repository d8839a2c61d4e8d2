using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Experiments.Cli;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Evaluation;

/// <summary>Prediction folders a user gets wrong: each fails with the file (and line) at fault, never silently.</summary>
public sealed class PredictionFilesBadInputTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    [TestCase("1 0.5 0.5 0.2 0.2 nan", "confidence 'nan' is not a finite number")]
    [TestCase("1 0.5 0.5 0.2 0.2 NaN", "confidence 'NaN' is not a finite number")]
    [TestCase("1 0.5 Infinity 0.2 0.2 0.9", "cy 'Infinity' is not a finite number")]
    [TestCase("1 0.5 0.5 0.2 0.2 1.5", "confidence 1.5 is outside 0..1")]
    [TestCase("1 0.5 0.5 0.2 0.2 -0.1", "confidence -0.1 is outside 0..1")]
    [TestCase("1 1.5 0.5 0.2 0.2 0.9", "cx 1.5 is outside 0..1")]
    [TestCase("1 0.5 0.5 0.2 1.2 0.9", "h 1.2 is outside 0..1")]
    [TestCase("1 0.95 0.5 0.2 0.2 0.9", "the box reaches outside the image")]
    [TestCase("1 0.5 0.05 0.2 0.2 0.9", "the box reaches outside the image")]
    [TestCase("7 0.5 0.5 0.2 0.2 0.9", "class 7 is outside 0..2: unknown to the dataset")]
    [TestCase("-1 0.5 0.5 0.2 0.2 0.9", "class -1 is outside 0..2")]
    public void ABadValueNamesFileLineAndField(string badLine, string message)
    {
        var dir = TinyScenes.NewTempDirectory("bad-preds");
        var path = Path.Combine(dir, "img.txt");
        File.WriteAllText(path, "0 0.5 0.5 0.2 0.2 0.9\n" + badLine + "\n");

        Assert.That(() => PredictionFiles.ReadFile(path, 100, 100, Names),
            Throws.InstanceOf<FormatException>().With.Message.StartsWith($"{path}:2: ").And.Message.Contains(message));
    }

    [Test]
    public void ABoxTouchingTheBorderWithinRoundingIsAccepted()
    {
        // 6 significant digits put a clipped box's edge a hair past 1
        var dir = TinyScenes.NewTempDirectory("edge-preds");
        var path = Path.Combine(dir, "img.txt");
        File.WriteAllText(path, "2 0.9 0.5 0.200001 0.2 0.9\n0 0.5 0.5 1 1 0\n");

        var detections = PredictionFiles.ReadFile(path, 100, 100, Names);

        Assert.That(detections, Has.Count.EqualTo(2));
        Assert.That(detections[1].Box, Is.EqualTo(new BoundingBox(0, 0, 100, 100)));
    }

    [Test]
    public void AFileForAnImageOutsideTheSplitIsNamed()
    {
        var dir = TinyScenes.NewTempDirectory("stray-preds");
        YoloSample[] split = [new(Path.Combine(dir, "images", "x1.png"), 64, 64, []), new(Path.Combine(dir, "images", "x2.png"), 64, 64, [])];
        var preds = Path.Combine(dir, "preds");
        PredictionFiles.Write(preds, split, [[], []]);
        File.WriteAllText(Path.Combine(preds, "val_0007.txt"), "0 0.5 0.5 0.1 0.1 0.9\n");
        File.WriteAllText(Path.Combine(preds, "notes.md"), "other files are not predictions");

        Assert.That(() => PredictionFiles.Read(preds, split, Names),
            Throws.InstanceOf<InvalidDataException>()
                .With.Message.StartsWith(Path.Combine(preds, "val_0007.txt") + ": predictions for an image that is not in the evaluated split")
                .And.Message.Contains("among its 2"));
        File.Delete(Path.Combine(preds, "val_0007.txt"));
        Assert.That(PredictionFiles.Read(preds, split, Names), Has.Count.EqualTo(2), "the split's own files and other file types are fine");
    }

    [Test]
    public void TheEvaluateCommandReportsABadPredictionLineWithoutAStackTrace()
    {
        var yaml = TinyScenes.Create(4, 4, 6);
        var samples = YoloDataset.Load(yaml).Split("test");
        var preds = TinyScenes.NewTempDirectory("cli-bad-preds");
        var file = PredictionFiles.PathFor(preds, samples[1]);
        File.WriteAllText(file, "3 0.5 0.5 0.2 0.2 0.9\n4 0.5 0.5 0.2 0.2 NaN\n");
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = DigitMlApp.Run(["evaluate", "--predictions", preds, "--data", yaml, "--split", "test"]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.That(code, Is.EqualTo(ErrorReporter.Failure));
        Assert.That(error.ToString(), Does.Contain($"{file}:2: confidence 'NaN' is not a finite number"));
        Assert.That(error.ToString(), Does.Not.Contain("   at "), "no stack trace");
    }
}
