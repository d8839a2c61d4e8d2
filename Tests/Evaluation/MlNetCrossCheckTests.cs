using DigitMl;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.TorchSharp;

namespace DigitMl.Tests.Evaluation;

/// <summary>
/// Our metrics against ML.NET's <c>EvaluateObjectDetection</c> (Microsoft.ML.TorchSharp 0.23.1), an independent
/// implementation. Read from its source, it differs from the reference (Ultralytics) in these ways:
/// <list type="number">
/// <item>Boxes are read as pixel-inclusive: width = x1 - x0 + 1. We hand it x1 - 1, y1 - 1 so both see the same box.</item>
/// <item>Predictions under confidence 0.05 are dropped. Our synthetic confidences are all &gt;= 0.05.</item>
/// <item>Matching: global greedy by IoU (<see cref="MatchingMethod.GreedyByIoU"/>). The reference gives each box to
///   its most confident candidate instead, so when two detections cover one object they disagree on which one is the
///   TP; ML.NET often keeps a less confident one, ranking a false positive above it, which lowers its AP a lot when
///   duplicates are common. After NMS (one detection per object) both pairings coincide.</item>
/// <item>AP is the exact area under the precision envelope (<see cref="AveragePrecisionMethod.Continuous"/>), not the
///   101-point trapezoid, so a perfect class scores 1 instead of 0.995.</item>
/// <item>mAP50-95 accumulates a float threshold 0.5f += 0.05f while &lt; 1f (10 thresholds, tiny float offsets) and divides by
///   (1f - 0.5f) / 0.05f.</item>
/// </list>
/// With ML.NET's definitions switched on (GreedyByIoU, Continuous, its thresholds) we must agree to float precision,
/// duplicates or not. With the reference's definitions on NMS-like detections (no duplicates), the difference is
/// the end triangle of the 101-point interpolation (explained in the test) within <see cref="IntegrationTolerance"/>;
/// with many duplicates the reference's pairing scores strictly higher.
/// </summary>
public sealed class MlNetCrossCheckTests
{
    // reference mAP50 - ML.NET mAP50 - end triangle, without duplicates: only the 101-point sampling remains
    private const double IntegrationTolerance = 0.01;

    private static readonly string[] Names = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();

    /// <summary>Column order matters: ML.NET 0.23.1 reads ground truth from schema columns 2 and 6, whatever names it is given.</summary>
    private sealed class ScoredImage
    {
        public string ImagePath { get; set; } = "";
        public float Width { get; set; }
        public string[] Labels { get; set; } = [];
        public float Height { get; set; }
        public string[] PredictedLabels { get; set; } = [];
        public float[] Scores { get; set; } = [];
        public float[] Boxes { get; set; } = [];
        public float[] PredictedBoxes { get; set; } = [];
    }

    private static List<ScoredImage> Rows(IReadOnlyList<IReadOnlyList<LabeledBox>> truth, IReadOnlyList<IReadOnlyList<Detection>> predictions, float inclusiveShift) =>
        truth.Select((t, i) => new ScoredImage
        {
            ImagePath = $"img{i}.png",
            Width = 640,
            Height = 640,
            Labels = t.Select(b => Names[b.ClassId]).ToArray(),
            Boxes = t.SelectMany(b => Flatten(b.Box, inclusiveShift)).ToArray(),
            PredictedLabels = predictions[i].Select(d => d.Label).ToArray(),
            PredictedBoxes = predictions[i].SelectMany(d => Flatten(d.Box, inclusiveShift)).ToArray(),
            Scores = predictions[i].Select(d => d.Score).ToArray(),
        }).ToList();

    private static float[] Flatten(BoundingBox b, float shift) => [b.X0, b.Y0, b.X1 - shift, b.Y1 - shift];

    private static (float Map50, float Map50To95) MlNet(MLContext ml, IDataView view)
    {
        var s = view.Schema;
        Assert.That(s[2].Name, Is.EqualTo("Labels"));
        Assert.That(s[6].Name, Is.EqualTo("Boxes"));
        var metrics = ml.MulticlassClassification.EvaluateObjectDetection(view, s["Labels"], s["Boxes"], s["PredictedLabels"], s["PredictedBoxes"], s["Scores"]);
        return (metrics.MAP50, metrics.MAP50_95);
    }

    /// <summary>ML.NET's mAP50-95 thresholds: float accumulation 0.5f, 0.55f, ... while &lt; 1f.</summary>
    private static List<double> MlNetThresholds()
    {
        var list = new List<double>();
        for (float t = 0.5f; t < 1f; t += 0.05f) list.Add(t);
        return list;
    }

    [TestCase(1, false)]
    [TestCase(2, true)]
    public void WithMlNetDefinitionsWeEqualMlNet(int seed, bool duplicates)
    {
        var (truth, predictions) = SyntheticDetections.Generate(300, 5, Names, seed, duplicates);
        var ml = new MLContext(seed);
        var (map50, map5095) = MlNet(ml, ml.Data.LoadFromEnumerable(Rows(truth, predictions, 1)));

        var thresholds = MlNetThresholds();
        Assert.That(thresholds, Has.Count.EqualTo(10));
        var ours = ml.Detection().Evaluate(ml.Data.LoadFromEnumerable(Rows(truth, predictions, 0)), names: Names,
            options: new EvaluationOptions { ApMethod = AveragePrecisionMethod.Continuous, Matching = MatchingMethod.GreedyByIoU, IouThresholds = thresholds });
        double ours5095 = ours.MapPerIou.Sum() / ((1f - 0.5f) / 0.05f);

        Assert.That(ours.Map50, Is.EqualTo(map50).Within(1e-5));
        Assert.That(ours5095, Is.EqualTo(map5095).Within(1e-5));
    }

    [TestCase(1)]
    [TestCase(3)]
    public void WithoutDuplicatesOnlyTheIntegrationDiffers(int seed)
    {
        var (truth, predictions) = SyntheticDetections.Generate(300, 5, Names, seed, duplicates: false);
        var ml = new MLContext(seed);
        var (map50, map5095) = MlNet(ml, ml.Data.LoadFromEnumerable(Rows(truth, predictions, 1)));

        // the reference's pairing with ML.NET's integration and thresholds: equal
        var continuous = DetectionEvaluator.Evaluate(truth, predictions, Names,
            new EvaluationOptions { ApMethod = AveragePrecisionMethod.Continuous, IouThresholds = MlNetThresholds() });
        Assert.That(continuous.Map50, Is.EqualTo(map50).Within(1e-5));
        Assert.That(continuous.MapPerIou.Sum() / ((1f - 0.5f) / 0.05f), Is.EqualTo(map5095).Within(1e-5));

        // the reference's own numbers: its 101-point interpolation runs a straight line from the last real point
        // (recall r, precision p of the lowest-ranked detection) to the sentinel (1, 0), adding (1 - r) * p / 2
        // per class that the exact area leaves out; the rest is the 0.01-step sampling (well under 0.01)
        var reference = DetectionEvaluator.Evaluate(truth, predictions, Names);
        double triangle = Enumerable.Range(0, reference.PerClass.Count)
            .Average(c => (1 - reference.Curves.Recall[c][0]) * reference.Curves.Precision[c][0] / 2);
        TestContext.Out.WriteLine($"seed {seed}: reference mAP50 {reference.Map50:F4} mAP50-95 {reference.Map50To95:F4}; ML.NET {map50:F4} {map5095:F4}; end triangle {triangle:F4}");
        Assert.That(reference.Map50 - map50, Is.EqualTo(triangle).Within(IntegrationTolerance));
        Assert.That(reference.Map50 - map50, Is.GreaterThan(0.02), "the triangle is not negligible on a detector with recall well under 1");
        Assert.That(reference.Map50, Is.GreaterThan(0.2), "the synthetic detector is far from useless");
    }

    [Test]
    public void WithDuplicatesTheReferencePairingScoresHigher()
    {
        var (truth, predictions) = SyntheticDetections.Generate(300, 5, Names, 5, duplicates: true);
        var ml = new MLContext(5);
        var (map50, _) = MlNet(ml, ml.Data.LoadFromEnumerable(Rows(truth, predictions, 1)));
        var reference = DetectionEvaluator.Evaluate(truth, predictions, Names, new EvaluationOptions { ApMethod = AveragePrecisionMethod.Continuous });
        var greedy = DetectionEvaluator.Evaluate(truth, predictions, Names, new EvaluationOptions { ApMethod = AveragePrecisionMethod.Continuous, Matching = MatchingMethod.GreedyByIoU });
        TestContext.Out.WriteLine($"duplicates: reference pairing mAP50 {reference.Map50:F4}, greedy-by-IoU {greedy.Map50:F4}, ML.NET {map50:F4}");
        Assert.That(greedy.Map50, Is.EqualTo(map50).Within(1e-5));
        Assert.That(reference.Map50, Is.GreaterThan(greedy.Map50 + 0.05));
    }

    [Test]
    public void PerfectDetectionsShowTheIntegrationDifference()
    {
        // ML.NET integrates the envelope exactly (1.0); the reference's 101-point trapezoid gives 0.995
        var (truth, _) = SyntheticDetections.Generate(50, 0, Names, 4);
        var random = new Random(4);
        IReadOnlyList<IReadOnlyList<Detection>> perfect = truth
            .Select(t => (IReadOnlyList<Detection>)t.Select(b => new Detection(b.ClassId, Names[b.ClassId], (float)(0.05 + (0.9 * random.NextDouble())), b.Box)).ToList())
            .ToList();
        var ml = new MLContext(4);
        var (map50, _) = MlNet(ml, ml.Data.LoadFromEnumerable(Rows(truth, perfect, 1)));
        var ours = DetectionEvaluator.Evaluate(truth, perfect, Names);
        Assert.That(map50, Is.EqualTo(1f).Within(1e-6));
        Assert.That(ours.Map50, Is.EqualTo(0.995).Within(1e-9));
    }
}
