using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Evaluation.Coco;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Evaluation;

/// <summary>
/// The two definitions side by side (docs/evaluation.md): where they must agree, and where they differ by an amount
/// that follows from the definitions (interpolation, matching, no ground truth).
/// </summary>
public sealed class CocoVersusUltralyticsTests
{
    private const double Tolerance = 1e-9;
    private static readonly string[] Names = ["0", "1"];
    private static readonly EvaluationOptions Both = new() { IncludeCoco = true };

    private static Detection Det(int classId, float score, float x0, float y0, float x1, float y1) => new(classId, Names[classId], score, new BoundingBox(x0, y0, x1, y1));

    private static LabeledBox Gt(int classId, float x0, float y0, float x1, float y1) => new(classId, new BoundingBox(x0, y0, x1, y1));

    [Test]
    public void APerfectDetectorScoresOneInCocoAndPoint995InUltralytics()
    {
        var samples = YoloDataset.Load(TinyScenes.Create(4, 4, 8)).Split("test");
        var truth = samples.Select(s => s.Objects).ToArray();
        Assume.That(truth.Sum(t => t.Count), Is.GreaterThan(3));
        var names = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var predictions = truth.Select(t => (IReadOnlyList<Detection>)t.Select(o => new Detection(o.ClassId, names[o.ClassId], 0.9f, o.Box)).ToList()).ToArray();

        var metrics = DetectionEvaluator.Evaluate(truth, predictions, names, Both);
        var coco = metrics.Coco!;

        // COCO samples the envelope at recall 1.00 too; Ultralytics' trapezoid ends on the (1, 0) sentinel
        Assert.That(metrics.Map50, Is.EqualTo(0.995).Within(Tolerance));
        Assert.That(metrics.Map50To95, Is.EqualTo(0.995).Within(Tolerance));
        Assert.That(coco.Figures.Map, Is.EqualTo(1).Within(Tolerance));
        Assert.That(coco.Figures.Map50, Is.EqualTo(1).Within(Tolerance));
        Assert.That(coco.Figures.Map75, Is.EqualTo(1).Within(Tolerance));
        Assert.That(coco.Figures.Mar100, Is.EqualTo(1).Within(Tolerance));
        foreach (var c in metrics.PerClass)
            Assert.That(coco.PerClass[c.ClassId].Figures.Map - c.Ap50To95, Is.EqualTo(0.005).Within(Tolerance), c.Name);
        Assert.That(coco.PerClass.Count(c => c.Instances > 0), Is.EqualTo(metrics.PerClass.Count), "both average over the classes with ground truth");
        Assert.That((coco.Images, coco.Instances, coco.Predictions), Is.EqualTo((metrics.Images, metrics.Instances, metrics.Predictions)));
        foreach (var size in new[] { coco.Figures.MapSmall, coco.Figures.MapMedium, coco.Figures.MapLarge })
            Assert.That(size, Is.EqualTo(1).Within(Tolerance).Or.EqualTo(-1), "a size bucket is perfect or holds no ground truth");
    }

    [Test]
    public void ADetectorThatStopsAtRecallAQuarterDiffersByTheUltralyticsEndTriangle()
    {
        // 4 boxes, one found exactly, no false positive: precision 1 up to recall 0.25 at every IoU threshold.
        // COCO: recall points 0.00..0.25 reached = 26 of 101. Ultralytics: 0.25 + the straight line from (0.25, 1)
        // to the (1, 0) sentinel = 0.25 + 0.75 / 2 = 0.625.
        LabeledBox[] boxes = [Gt(0, 0, 0, 10, 10), Gt(0, 20, 0, 30, 10), Gt(0, 40, 0, 50, 10), Gt(0, 60, 0, 70, 10)];
        var metrics = DetectionEvaluator.Evaluate([boxes], [[Det(0, 0.9f, 0, 0, 10, 10)]], Names, Both);

        Assert.That(metrics.Map50, Is.EqualTo(0.625).Within(Tolerance));
        Assert.That(metrics.Map50To95, Is.EqualTo(0.625).Within(Tolerance));
        Assert.That(metrics.Coco!.Figures.Map, Is.EqualTo(26 / 101.0).Within(Tolerance));
        Assert.That(metrics.Coco.Figures.Map50, Is.EqualTo(26 / 101.0).Within(Tolerance));
        Assert.That(metrics.Coco.Figures.Mar100, Is.EqualTo(0.25).Within(Tolerance));
    }

    [Test]
    public void TheHandComputedImageScoresDifferentlyUnderEachDefinition()
    {
        // CocoEvaluatorTests.OneImageTwoBoxes: COCO map (3 + 2 * 51/101) / 10 = 0.40099. Ultralytics: 0.995 at the
        // 3 thresholds where both are found; 0.6225 at the 2 where only the first is (envelope 1 to recall 0.49, 0.5 at
        // 0.50 and a straight line to (1, 0): 0.49 + 0.0075 + 0.125); 0 above: (3 * 0.995 + 2 * 0.6225) / 10 = 0.423.
        var metrics = DetectionEvaluator.Evaluate(
            [[Gt(0, 10, 10, 30, 30), Gt(0, 60, 60, 110, 110)]],
            [[Det(0, 0.9f, 10, 10, 30, 24.4f), Det(0, 0.8f, 60, 60, 110, 91)]],
            Names, Both);

        Assert.That(metrics.Map50, Is.EqualTo(0.995).Within(Tolerance));
        Assert.That(metrics.Map50To95, Is.EqualTo(0.423).Within(Tolerance));
        Assert.That(metrics.Coco!.Figures.Map50, Is.EqualTo(1).Within(Tolerance));
        Assert.That(metrics.Coco.Figures.Map, Is.EqualTo((3 + (2 * 51.0 / 101)) / 10).Within(Tolerance));
    }

    [Test]
    public void COCOLetsADetectionFallBackToItsSecondBestBoxUltralyticsDoesNot()
    {
        // d2's best box G1 is taken by d1. COCO: d2 takes G2 (IoU 0.786) -> AP50 1. Ultralytics: d2 only ever
        // competes for G1 -> a false positive: recall 0.5 with precision 1 then 0.5 -> AP50 0.6225.
        var metrics = DetectionEvaluator.Evaluate(
            [[Gt(0, 0, 0, 10, 10), Gt(0, 2, 0, 12, 10)]],
            [[Det(0, 0.9f, 0, 0, 10, 10), Det(0, 0.8f, 0.8f, 0, 10.8f, 10)]],
            Names, Both);

        Assert.That(metrics.Map50, Is.EqualTo(0.6225).Within(Tolerance));
        Assert.That(metrics.Coco!.Figures.Map50, Is.EqualTo(1).Within(Tolerance));
    }

    [Test]
    public void BothScoreZeroWhenNothingIsFound()
    {
        var metrics = DetectionEvaluator.Evaluate([[Gt(0, 0, 0, 10, 10)], [Gt(1, 0, 0, 10, 10)]], [[Det(0, 0.9f, 30, 30, 40, 40)], []], Names, Both);

        Assert.That((metrics.Map50, metrics.Map50To95), Is.EqualTo((0.0, 0.0)));
        var f = metrics.Coco!.Figures;
        Assert.That(new[] { f.Map, f.Map50, f.Map75, f.MapSmall, f.Mar1, f.Mar10, f.Mar100, f.MarSmall }, Is.All.EqualTo(0));
        Assert.That(new[] { f.MapMedium, f.MapLarge, f.MarMedium, f.MarLarge }, Is.All.EqualTo(-1));
    }

    [Test]
    public void WithoutAnyGroundTruthUltralyticsSaysZeroAndCocoMinusOne()
    {
        var metrics = DetectionEvaluator.Evaluate([[], []], [[Det(0, 0.9f, 30, 30, 40, 40)], []], Names, Both);

        Assert.That(metrics.Map50To95, Is.Zero);
        Assert.That(metrics.Coco!.Figures, Is.EqualTo(new CocoFigures(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)));
    }
}
