using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Scoring;

namespace DigitMl.Tests.Evaluation;

/// <summary>Hand-computed cases; the expected numbers are worked out in the comments.</summary>
public sealed class DetectionEvaluatorTests
{
    private static readonly string[] Names = ["zero", "one", "two"];

    private static LabeledBox Gt(int c, float x0, float y0, float x1, float y1) => new(c, new BoundingBox(x0, y0, x1, y1));

    private static Detection Det(int c, float score, float x0, float y0, float x1, float y1) =>
        new(c, Names[c], score, new BoundingBox(x0, y0, x1, y1));

    private static DetectionMetrics Evaluate(IReadOnlyList<LabeledBox>[] truth, IReadOnlyList<Detection>[] predictions, EvaluationOptions? options = null) =>
        DetectionEvaluator.Evaluate(truth, predictions, Names, options);

    [Test]
    public void PerfectPredictionsScoreTheReferenceMaximum()
    {
        // every AP is 0.995: the 101-point trapezoid ends at recall 1 with the sentinel precision 0
        IReadOnlyList<LabeledBox>[] truth =
        [
            [Gt(0, 0, 0, 10, 10), Gt(1, 20, 20, 30, 30)],
            [Gt(1, 5, 5, 15, 15), Gt(2, 30, 0, 40, 12)],
        ];
        IReadOnlyList<Detection>[] predictions =
        [
            [Det(0, 0.9f, 0, 0, 10, 10), Det(1, 0.8f, 20, 20, 30, 30)],
            [Det(1, 0.7f, 5, 5, 15, 15), Det(2, 0.95f, 30, 0, 40, 12)],
        ];
        var m = Evaluate(truth, predictions);
        Assert.Multiple(() =>
        {
            Assert.That(m.Map50, Is.EqualTo(0.995).Within(1e-9));
            Assert.That(m.Map50To95, Is.EqualTo(0.995).Within(1e-9));
            Assert.That(m.Precision, Is.EqualTo(1).Within(1e-9));
            Assert.That(m.Recall, Is.EqualTo(1).Within(1e-9));
            Assert.That(m.Images, Is.EqualTo(2));
            Assert.That(m.Instances, Is.EqualTo(4));
            Assert.That(m.PerClass.Select(c => c.Instances), Is.EqualTo(new[] { 1, 2, 1 }));
            Assert.That(m.PerClass.Select(c => c.Images), Is.EqualTo(new[] { 1, 2, 1 }));
            Assert.That(m.Fitness, Is.EqualTo(0.995).Within(1e-9));
        });
    }

    [Test]
    public void FalsePositiveRankedFirstHalvesThePrecisionEnvelope()
    {
        // ranked: FP (0.9), TP (0.8) -> recall [0, 1], precision [0, 0.5]; envelope 0.5 on [0, 1), 0 at recall 1:
        // trapezoid = 0.99 * 0.5 + 0.01 * (0.5 + 0) / 2 = 0.4975 (the continuous area would be 0.5)
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)]];
        IReadOnlyList<Detection>[] predictions = [[Det(0, 0.9f, 50, 50, 60, 60), Det(0, 0.8f, 0, 0, 10, 10)]];
        var m = Evaluate(truth, predictions);
        Assert.That(m.Map50, Is.EqualTo(0.4975).Within(1e-9));
        Assert.That(m.Map50To95, Is.EqualTo(0.4975).Within(1e-9));
        var continuous = Evaluate(truth, predictions, new EvaluationOptions { ApMethod = AveragePrecisionMethod.Continuous });
        Assert.That(continuous.Map50, Is.EqualTo(0.5).Within(1e-9));
    }

    [Test]
    public void DuplicateDetectionIsAFalsePositiveAndTheBestF1ConfidenceExcludesIt()
    {
        // ranked: TP (0.9), duplicate FP (0.8) -> recall [1, 1], precision [1, 0.5]; envelope 1 up to recall 1 -> AP 0.995.
        // P versus confidence is interpolated linearly between the prediction confidences (as the reference's
        // np.interp does): 0.5 at conf <= 0.8, rising to 1 at 0.9; recall is 1 up to 0.9 and 0 above. So the mean-F1
        // maximum lies inside (0.8, 0.9) and P there is on that line while R is 1.
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)]];
        IReadOnlyList<Detection>[] predictions = [[Det(0, 0.8f, 0, 0, 10, 10), Det(0, 0.9f, 0, 0, 10, 10)]];
        var m = Evaluate(truth, predictions);
        double c = m.ConfAtBestF1;
        Assert.Multiple(() =>
        {
            Assert.That(m.Map50, Is.EqualTo(0.995).Within(1e-9));
            Assert.That(c, Is.InRange(0.8, 0.9));
            Assert.That(m.Precision, Is.EqualTo(0.5 + (0.5 * (c - 0.8f) / (0.9f - 0.8f))).Within(1e-9));
            Assert.That(m.Recall, Is.EqualTo(1).Within(1e-9));
            Assert.That(m.F1, Is.EqualTo(2 * m.Precision / (m.Precision + 1)).Within(1e-9));
            Assert.That(m.Curves.Precision[0][0], Is.EqualTo(0.5).Within(1e-9), "precision at conf 0 counts the duplicate");
            Assert.That(m.Curves.Recall[0][999], Is.Zero, "no prediction above conf 0.9");
        });
    }

    [Test]
    public void WrongClassScoresZeroAndShowsInTheConfusionMatrix()
    {
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)]];
        IReadOnlyList<Detection>[] predictions = [[Det(1, 0.9f, 0, 0, 10, 10)]];
        var m = Evaluate(truth, predictions);
        Assert.Multiple(() =>
        {
            Assert.That(m.Map50, Is.Zero);
            Assert.That(m.Map50To95, Is.Zero);
            Assert.That(m.PerClass.Select(c => c.ClassId), Is.EqualTo(new[] { 0 }), "class 1 has no instances: no row, not in the means");
            Assert.That(m.ConfusionMatrix[1, 0], Is.EqualTo(1), "predicted one, true zero");
            Assert.That(m.ConfusionMatrix[0, 0], Is.Zero);
        });
    }

    [TestCase(5.0f, 0.995, 0.0995, TestName = "IoU exactly 0.5 is a match at 0.5 only")]
    [TestCase(5.2f, 0.995, 0.0995, TestName = "IoU 0.52 is a match at 0.5 only")]
    [TestCase(4.9f, 0.0, 0.0, TestName = "IoU 0.49 is no match")]
    [TestCase(7.6f, 0.995, 0.995 * 6 / 10, TestName = "IoU 0.76 matches at 0.50..0.75")]
    public void IouThresholdBoundary(float width, double expectedMap50, double expectedMap50To95)
    {
        // ground truth 10x10, prediction width x 10 inside it: IoU = width / 10
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)]];
        IReadOnlyList<Detection>[] predictions = [[Det(0, 0.9f, 0, 0, width, 10)]];
        var m = Evaluate(truth, predictions);
        Assert.That(m.Map50, Is.EqualTo(expectedMap50).Within(1e-9));
        Assert.That(m.Map50To95, Is.EqualTo(expectedMap50To95).Within(1e-9));
    }

    [Test]
    public void ClassWithoutPredictionsCountsAsZeroInTheMeans()
    {
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10), Gt(1, 20, 20, 30, 30)]];
        IReadOnlyList<Detection>[] predictions = [[Det(0, 0.9f, 0, 0, 10, 10)]];
        var m = Evaluate(truth, predictions);
        Assert.Multiple(() =>
        {
            Assert.That(m.PerClass[0].Ap50, Is.EqualTo(0.995).Within(1e-9));
            Assert.That(m.PerClass[1].Ap50, Is.Zero);
            Assert.That(m.PerClass[1].Predictions, Is.Zero);
            Assert.That(m.Map50, Is.EqualTo(0.4975).Within(1e-9));
            Assert.That(m.Precision, Is.EqualTo(0.5).Within(1e-9));
            Assert.That(m.Recall, Is.EqualTo(0.5).Within(1e-9));
            Assert.That(m.ConfusionMatrix[m.ConfusionMatrix.Background, 1], Is.EqualTo(1), "missed object: background row");
        });
    }

    [Test]
    public void EmptyImagesCountButOnlyTheirDetectionsMatter()
    {
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)], [], []];
        IReadOnlyList<Detection>[] quiet = [[Det(0, 0.8f, 0, 0, 10, 10)], [], []];
        var m = Evaluate(truth, quiet);
        Assert.That(m.Images, Is.EqualTo(3));
        Assert.That(m.Map50, Is.EqualTo(0.995).Within(1e-9));

        // a confident detection on an empty image is a false positive ranked first: AP 0.4975 (see above)
        IReadOnlyList<Detection>[] noisy = [[Det(0, 0.8f, 0, 0, 10, 10)], [Det(0, 0.95f, 0, 0, 10, 10)], []];
        var n = Evaluate(truth, noisy);
        Assert.That(n.Map50, Is.EqualTo(0.4975).Within(1e-9));
        Assert.That(n.ConfusionMatrix[0, n.ConfusionMatrix.Background], Is.EqualTo(1), "detection of nothing: background column");
    }

    [Test]
    public void NoGroundTruthAtAllGivesZeros()
    {
        IReadOnlyList<LabeledBox>[] truth = [[], []];
        IReadOnlyList<Detection>[] predictions = [[Det(0, 0.8f, 0, 0, 10, 10)], []];
        var m = Evaluate(truth, predictions);
        Assert.That(m.PerClass, Is.Empty);
        Assert.That(new[] { m.Map50, m.Map50To95, m.Precision, m.Recall, m.F1 }, Is.All.Zero);
        Assert.That(m.Images, Is.EqualTo(2));
    }

    [Test]
    public void MatcherKeepsTheMostConfidentPredictionPerBoxWithoutFallingBack()
    {
        // A (conf 0.9) overlaps G1 at 0.54 and G2 at 0.82; B (0.8) is G2 exactly. Each prediction picks its best
        // box (both G2), then G2 keeps the more confident A. B is a false positive and A does not fall back to G1,
        // so this scores 1 TP where a global greedy-by-IoU assignment would score 2 (B-G2, A-G1).
        LabeledBox[] truth = [Gt(0, 0, 0, 10, 10), Gt(0, 4, 0, 14, 10)];
        Detection[] ranked = [Det(0, 0.9f, 3, 0, 13, 10), Det(0, 0.8f, 4, 0, 14, 10)];
        var correct = PredictionMatcher.Match(truth, ranked, EvaluationOptions.DefaultIouThresholds);
        Assert.That(correct[0, 0], Is.True);
        Assert.That(correct[1, 0], Is.False);
        Assert.That(correct[0, 6], Is.True, "IoU 0.82 >= 0.80");
        Assert.That(correct[0, 7], Is.False, "IoU 0.82 < 0.85");
    }

    [Test]
    public void MismatchedListsAndUnknownClassesAreRejected()
    {
        IReadOnlyList<LabeledBox>[] truth = [[Gt(0, 0, 0, 10, 10)]];
        Assert.That(() => Evaluate(truth, []), Throws.ArgumentException.With.Message.Contains("aligned"));
        IReadOnlyList<Detection>[] predictions = [[new Detection(7, "seven", 0.9f, new BoundingBox(0, 0, 1, 1))]];
        Assert.That(() => Evaluate(truth, predictions), Throws.ArgumentException.With.Message.Contains("class id 7"));
    }
}
