using System.Text.Json;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Scoring;

namespace DigitMl.Tests.Evaluation;

public sealed class DetectionMetricsJsonTests
{
    [Test]
    public void MetricsJsonHasTheArchitectureKeysAndValues()
    {
        string[] names = ["0", "1", "2"];
        IReadOnlyList<LabeledBox>[] truth = [[new(0, new BoundingBox(0, 0, 10, 10)), new(2, new BoundingBox(20, 20, 30, 30))], []];
        IReadOnlyList<Detection>[] predictions = [[new(0, "0", 0.9f, new BoundingBox(0, 0, 10, 10))], [new(1, "1", 0.8f, new BoundingBox(0, 0, 5, 5))]];
        var metrics = DetectionEvaluator.Evaluate(truth, predictions, names);
        var path = Path.Combine(Path.GetTempPath(), $"digitml-metrics-{Guid.NewGuid():N}", "metrics.json");
        metrics.Save(path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            Assert.That(root.GetProperty("map50").GetDouble(), Is.EqualTo(0.4975).Within(1e-6));
            Assert.That(root.GetProperty("map50_95").GetDouble(), Is.EqualTo(0.4975).Within(1e-6));
            Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("instances").GetInt32(), Is.EqualTo(2));
            Assert.That(root.GetProperty("fitness").GetDouble(), Is.EqualTo(0.4975).Within(1e-6));
            var perClass = root.GetProperty("per_class").EnumerateArray().ToList();
            Assert.That(perClass.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(new[] { "0", "2" }));
            Assert.That(perClass.Select(c => c.GetProperty("ap50").GetDouble()), Is.EqualTo(new[] { 0.995, 0.0 }).Within(1e-6));
            Assert.That(perClass.Select(c => c.GetProperty("instances").GetInt32()), Is.EqualTo(new[] { 1, 1 }));
            var matrix = root.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
            Assert.That(matrix, Has.Length.EqualTo(4));
            Assert.That(matrix[0][0], Is.EqualTo(1), "class 0 found");
            Assert.That(matrix[3][2], Is.EqualTo(1), "class 2 missed: background row");
            Assert.That(matrix[1][3], Is.EqualTo(1), "class 1 on an empty image: background column");
            Assert.That(File.Exists(path + ".tmp"), Is.False);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Test]
    public void NormalizedConfusionColumnsSumToOne()
    {
        var (truth, predictions) = SyntheticDetections.Generate(50, 5, ["a", "b", "c"], 9);
        var matrix = DetectionEvaluator.Evaluate(truth, predictions, ["a", "b", "c"]).ConfusionMatrix;
        var normalized = matrix.Normalized();
        for (int t = 0; t < 3; t++)
        {
            double sum = 0;
            for (int p = 0; p < 4; p++) sum += normalized[p, t];
            Assert.That(sum, Is.EqualTo(1).Within(1e-6), $"true class {t}");
        }
        long instances = truth.Sum(t => t.Count);
        long trueColumnsTotal = 0;
        for (int t = 0; t < 3; t++)
            for (int p = 0; p < 4; p++) trueColumnsTotal += matrix[p, t];
        Assert.That(trueColumnsTotal, Is.EqualTo(instances), "every object lands once in its true-class column");
    }
}
