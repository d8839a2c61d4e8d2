using DigitMl.Pipelines.Data;
using DigitMl.Pipelines.Evaluation;
using DigitMl.Pipelines.Scoring;

namespace DigitMl.Tests.Evaluation;

public sealed class RotationBreakdownTests
{
    [Test]
    public void RotationBreakdownSplitsByOrientation()
    {
        var objects = new List<LabeledBox> { new(0, new BoundingBox(0, 0, 10, 10)) };
        YoloSample[] samples = [new("a.png", 20, 20, objects, 0), new("a.png", 20, 20, objects, 90)];
        IReadOnlyList<Detection>[] predictions = [[new(0, "a", 0.9f, new(0, 0, 10, 10))], []];
        var byRotation = RotationBreakdown.Evaluate(samples, predictions, ["a"]);
        Assert.That(byRotation.Select(r => r.RotationDegrees), Is.EqualTo(new[] { 0, 90 }));
        Assert.That(byRotation[0].Metrics.Map50, Is.EqualTo(0.995).Within(1e-9));
        Assert.That(byRotation[1].Metrics.Map50, Is.Zero);
    }
}
