using System.Text.Json;
using DigitMl.Data;
using DigitMl.Evaluation.Coco;

namespace DigitMl.Tests.Evaluation;

/// <summary>Our COCO figures against pycocotools' own on random cases (Tests/Fixtures/coco/README.md says how they were made).</summary>
public sealed class CocoPycocotoolsCrossCheckTests
{
    private static readonly string FixturePath = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "coco", "pycocotools_cases.json");

    private static IEnumerable<TestCaseData> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FixturePath));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            yield return new TestCaseData(c.GetRawText()).SetName($"pycocotools case seed {c.GetProperty("seed").GetInt32()}");
    }

    [TestCaseSource(nameof(Cases))]
    public void EveryFigureEqualsPycocotools(string caseJson)
    {
        using var doc = JsonDocument.Parse(caseJson);
        var root = doc.RootElement;
        int classes = root.GetProperty("classes").GetInt32();
        var names = Enumerable.Range(0, classes).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var truth = root.GetProperty("gt").EnumerateArray().Select(image => (IReadOnlyList<LabeledBox>)image.EnumerateArray()
            .Select(b => new LabeledBox(b[0].GetInt32(), Box(b, 1))).ToList()).ToList();
        var predictions = root.GetProperty("dt").EnumerateArray().Select(image => (IReadOnlyList<Detection>)image.EnumerateArray()
            .Select(d => new Detection(d[0].GetInt32(), names[d[0].GetInt32()], d[1].GetSingle(), Box(d, 2))).ToList()).ToList();
        Assume.That(predictions.Sum(p => p.Count), Is.GreaterThan(0));

        var metrics = CocoEvaluator.Evaluate(truth, predictions, names);

        Assert.That(metrics.Figures.Lines.Select(l => l.Value), Is.EqualTo(Stats(root.GetProperty("stats"))).Within(1e-9), "all classes");
        var perClass = root.GetProperty("stats_per_class").EnumerateArray().ToList();
        for (int k = 0; k < classes; k++)
            Assert.That(metrics.PerClass[k].Figures.Lines.Select(l => l.Value), Is.EqualTo(Stats(perClass[k])).Within(1e-9), $"class {k}");
    }

    private static BoundingBox Box(JsonElement values, int first) =>
        new(values[first].GetSingle(), values[first + 1].GetSingle(), values[first + 2].GetSingle(), values[first + 3].GetSingle());

    private static double[] Stats(JsonElement stats) => stats.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
