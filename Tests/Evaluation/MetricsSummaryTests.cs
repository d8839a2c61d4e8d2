using DigitMl.Evaluation;

namespace DigitMl.Tests.Evaluation;

public sealed class MetricsSummaryTests
{
    [Test]
    public void SavedMetricsReadBack()
    {
        var (truth, predictions) = SyntheticDetections.Generate(40, 4, ["a", "b"], 2);
        var metrics = DetectionEvaluator.Evaluate(truth, predictions, ["a", "b"]);
        var summary = MetricsSummary.Parse(metrics.ToJson());
        Assert.That(summary.Map50, Is.EqualTo(metrics.Map50).Within(1e-6));
        Assert.That(summary.Map50To95, Is.EqualTo(metrics.Map50To95).Within(1e-6));
        Assert.That(summary.Fitness, Is.EqualTo(metrics.Fitness).Within(1e-6));
        Assert.That(summary.Instances, Is.EqualTo(metrics.Instances));
        Assert.That(summary.PerClass.Select(c => c.Name), Is.EqualTo(metrics.PerClass.Select(c => c.Name)));
    }

    [Test]
    public void MissingKeyIsNamed() =>
        Assert.That(() => MetricsSummary.Parse("{\"per_class\": [], \"map50\": 1}", "x/metrics.json"),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("x/metrics.json: key 'map50_95' is missing"));
}
