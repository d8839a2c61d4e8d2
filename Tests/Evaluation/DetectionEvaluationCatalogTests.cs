using DigitMl;
using DigitMl.Evaluation;
using Microsoft.ML;

namespace DigitMl.Tests.Evaluation;

public sealed class DetectionEvaluationCatalogTests
{
    private sealed class Row
    {
        public string[] Labels { get; set; } = [];
        public float[] Boxes { get; set; } = [];
        public string[] PredictedLabels { get; set; } = [];
        public float[] PredictedBoxes { get; set; } = [];
        public float[] Scores { get; set; } = [];
    }

    [Test]
    public void ScoredDataViewIsEvaluatedByClassName()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Row { Labels = ["7", "3"], Boxes = [0, 0, 10, 10, 20, 20, 30, 30], PredictedLabels = ["7"], PredictedBoxes = [0, 0, 10, 10], Scores = [0.9f] },
            new Row(),
        });
        var metrics = ml.Detection().Evaluate(data);
        Assert.That(metrics.Names, Is.EqualTo(new[] { "3", "7" }), "without names: distinct labels, sorted");
        Assert.That(metrics.PerClass.Select(c => (c.Name, c.Ap50)), Is.EqualTo(new[] { ("3", 0.0), ("7", 0.995) }));
        Assert.That(metrics.Images, Is.EqualTo(2));

        var named = ml.Detection().Evaluate(data, names: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        Assert.That(named.PerClass.Select(c => c.ClassId), Is.EqualTo(new[] { 3, 7 }));
        Assert.That(named.Map50, Is.EqualTo(0.4975).Within(1e-9));
    }

    [Test]
    public void BadColumnsAreReportedByName()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Labels = ["1"], Boxes = [0, 0, 1] } });
        Assert.That(() => ml.Detection().Evaluate(data, scoreColumnName: "Confidence"), Throws.ArgumentException.With.Message.Contains("no column 'Confidence'"));
        Assert.That(() => ml.Detection().Evaluate(data, boxColumnName: "Labels"), Throws.ArgumentException.With.Message.Contains("column 'Labels' must be a vector of Single"));
        Assert.That(() => ml.Detection().Evaluate(data), Throws.InvalidOperationException.With.Message.Contains("row 0: 1 labels in 'Labels' need 4 values in 'Boxes', found 3"));
        var unknown = ml.Data.LoadFromEnumerable(new[] { new Row { PredictedLabels = ["x"], PredictedBoxes = [0, 0, 1, 1], Scores = [1] } });
        Assert.That(() => ml.Detection().Evaluate(unknown, names: ["a"]), Throws.InvalidOperationException.With.Message.Contains("label 'x'"));
    }
}
