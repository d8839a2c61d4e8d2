using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Evaluation.Coco;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Evaluation;

/// <summary>The COCO figures on cases small enough to work out by hand (the arithmetic is in each test's comments).</summary>
public sealed class CocoEvaluatorTests
{
    private const double Tolerance = 1e-9;
    private static readonly string[] Names = ["0", "1"];

    private static Detection Det(int classId, float score, float x0, float y0, float x1, float y1) => new(classId, classId.ToString(System.Globalization.CultureInfo.InvariantCulture), score, new BoundingBox(x0, y0, x1, y1));

    private static LabeledBox Gt(int classId, float x0, float y0, float x1, float y1) => new(classId, new BoundingBox(x0, y0, x1, y1));

    /// <summary>
    /// One image, two boxes of class 0: A (20x20 = 400 px², small) and B (50x50 = 2500 px², medium). Detection a
    /// (0.9) covers 72% of A (IoU 0.72, area 288, small), detection b (0.8) 62% of B (IoU 0.62, area 1550, medium).
    /// Matched at IoU 0.50/0.55/0.60: both; at 0.65/0.70: a only; from 0.75: none.
    /// </summary>
    private static CocoMetrics OneImageTwoBoxes() => CocoEvaluator.Evaluate(
        [[Gt(0, 10, 10, 30, 30), Gt(0, 60, 60, 110, 110)]],
        [[Det(0, 0.8f, 60, 60, 110, 91), Det(0, 0.9f, 10, 10, 30, 24.4f)]],
        Names);

    [Test]
    public void OneImageTwoBoxesGivesTheHandComputedFigures()
    {
        var f = OneImageTwoBoxes().Figures;
        // all areas, 100 detections: AP 1 at 3 thresholds; at 2, precision 1 up to recall 0.5 = 51 of the 101 recall
        // points (0.00..0.50), 0 beyond; 0 at the other 5: (3 + 2 * 51/101) / 10
        Assert.That(f.Map, Is.EqualTo((3 + (2 * 51.0 / 101)) / 10).Within(Tolerance));
        Assert.That(f.Map50, Is.EqualTo(1).Within(Tolerance));
        Assert.That(f.Map75, Is.EqualTo(0).Within(Tolerance));
        // small: B and b are ignored (b matched B at <= 0.60, unmatched and medium-sized above); a is TP up to 0.70
        Assert.That(f.MapSmall, Is.EqualTo(0.5).Within(Tolerance));
        Assert.That(f.MarSmall, Is.EqualTo(0.5).Within(Tolerance));
        // medium: a matches the ignored A up to 0.70 (ignored) and is small-sized (ignored) above; b is TP up to 0.60
        Assert.That(f.MapMedium, Is.EqualTo(0.3).Within(Tolerance));
        Assert.That(f.MarMedium, Is.EqualTo(0.3).Within(Tolerance));
        // no ground truth of 96x96 or more
        Assert.That(f.MapLarge, Is.EqualTo(-1));
        Assert.That(f.MarLarge, Is.EqualTo(-1));
        // recall: 1 at 3 thresholds, 0.5 at 2, 0 at 5; with one detection per image only a counts: 0.5 at 5 thresholds
        Assert.That(f.Mar100, Is.EqualTo(0.4).Within(Tolerance));
        Assert.That(f.Mar10, Is.EqualTo(0.4).Within(Tolerance));
        Assert.That(f.Mar1, Is.EqualTo(0.25).Within(Tolerance));
    }

    [Test]
    public void AClassWithoutGroundTruthScoresMinusOneAndStaysOutOfTheMeans()
    {
        var alone = OneImageTwoBoxes();
        var withStrays = CocoEvaluator.Evaluate(
            [[Gt(0, 10, 10, 30, 30), Gt(0, 60, 60, 110, 110)]],
            [[Det(0, 0.8f, 60, 60, 110, 91), Det(0, 0.9f, 10, 10, 30, 24.4f), Det(1, 0.95f, 10, 10, 30, 30)]],
            Names);

        Assert.That(alone.PerClass.Select(c => (c.Name, c.Instances)), Is.EqualTo(new[] { ("0", 2), ("1", 0) }));
        Assert.That(alone.PerClass[1].Figures, Is.EqualTo(new CocoFigures(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)));
        Assert.That(alone.PerClass[0].Figures, Is.EqualTo(alone.Figures), "one class with ground truth: its figures are the means");
        Assert.That(withStrays.Figures, Is.EqualTo(alone.Figures), "detections of a class without ground truth change no mean");
        Assert.That(withStrays.PerClass[1].Figures.Map, Is.EqualTo(-1));
        Assert.That(withStrays.Predictions, Is.EqualTo(3));
    }

    [Test]
    public void MaxDetectionsCapsEachImageAndClass()
    {
        // 101 separate 8x8 boxes, each found exactly, confidence falling: 1, 10 and 100 of them can count
        var boxes = Enumerable.Range(0, 101).Select(i => Gt(0, 10 * (i % 11), 10 * (i / 11), (10 * (i % 11)) + 8, (10 * (i / 11)) + 8)).ToArray();
        var detections = boxes.Select((b, i) => Det(0, 1f - (i / 200f), b.Box.X0, b.Box.Y0, b.Box.X1, b.Box.Y1)).ToArray();

        var f = CocoEvaluator.Evaluate([boxes], [detections], Names).Figures;

        Assert.That(f.Mar1, Is.EqualTo(1 / 101.0).Within(Tolerance));
        Assert.That(f.Mar10, Is.EqualTo(10 / 101.0).Within(Tolerance));
        Assert.That(f.Mar100, Is.EqualTo(100 / 101.0).Within(Tolerance));
        // precision 1 up to recall 100/101 = 0.990: the recall points 0.00..0.99 (100 of 101), never 1.00
        Assert.That(f.Map, Is.EqualTo(100 / 101.0).Within(Tolerance));
        Assert.That(f.MapSmall, Is.EqualTo(100 / 101.0).Within(Tolerance));
        Assert.That(f.MapMedium, Is.EqualTo(-1));
    }

    [Test]
    public void ADetectionKeepsABoxInsideTheAreaRangeOverABetterOverlappingIgnoredOne()
    {
        // Q = 34x34 (1156 px², medium) listed first, P = 20x30 (600 px², small); d = 28x32 (896 px², small) overlaps
        // P by IoU 0.670 and Q by 0.775. For "small", Q is ignored and sorted behind P: d holds P up to IoU 0.65 (TP,
        // 4 thresholds), takes the ignored Q at 0.70 and 0.75 (ignored) and is a small false positive from 0.80.
        // For "medium", P is ignored: d holds Q up to 0.75 (6 thresholds); above, d is unmatched and small: ignored.
        // For "all", d takes Q, its best, up to 0.75: recall 1/2, AP 51/101 at 6 thresholds.
        var f = CocoEvaluator.Evaluate([[Gt(0, 0, 0, 34, 34), Gt(0, 0, 0, 20, 30)]], [[Det(0, 0.9f, 0, 0, 28, 32)]], Names).Figures;

        Assert.That(f.MapSmall, Is.EqualTo(0.4).Within(Tolerance));
        Assert.That(f.MarSmall, Is.EqualTo(0.4).Within(Tolerance));
        Assert.That(f.MapMedium, Is.EqualTo(0.6).Within(Tolerance));
        Assert.That(f.MarMedium, Is.EqualTo(0.6).Within(Tolerance));
        Assert.That(f.Map, Is.EqualTo(0.6 * 51 / 101).Within(Tolerance));
        Assert.That(f.Mar100, Is.EqualTo(0.3).Within(Tolerance));
    }

    [Test]
    public void AnUnmatchedDetectionOutsideTheAreaRangeIsIgnoredThere()
    {
        // a confident 50x50 false positive ranked before a hit on a small box: it halves precision for "all",
        // and the "small" figures do not see it
        var f = CocoEvaluator.Evaluate([[Gt(0, 0, 0, 20, 20)]], [[Det(0, 0.9f, 50, 50, 100, 100), Det(0, 0.8f, 0, 0, 20, 20)]], Names).Figures;

        Assert.That(f.Map, Is.EqualTo(0.5).Within(Tolerance));
        Assert.That(f.MapSmall, Is.EqualTo(1).Within(Tolerance));
        Assert.That(f.Mar1, Is.Zero, "with one detection per image only the false positive counts");
        Assert.That(f.MapMedium, Is.EqualTo(-1));
    }

    [Test]
    public void TheCapCountsPerClassNotPerImage()
    {
        // two classes in one image, one detection each: with maxDets 1 both still count
        var f = CocoEvaluator.Evaluate([[Gt(0, 0, 0, 10, 10), Gt(1, 20, 20, 30, 30)]], [[Det(0, 0.9f, 0, 0, 10, 10), Det(1, 0.8f, 20, 20, 30, 30)]], Names).Figures;
        Assert.That(f.Mar1, Is.EqualTo(1).Within(Tolerance));
        Assert.That(f.Map, Is.EqualTo(1).Within(Tolerance));
    }

    [Test]
    public void ADetectionWhoseBestBoxIsTakenMatchesTheNextBestFreeBox()
    {
        // G1 = (0,0,10,10), G2 = (2,0,12,10). d1 is G1 itself; d2 overlaps G1 by IoU 0.852 and G2 by 0.786.
        // d1 takes G1; d2 then takes G2 at thresholds up to 0.75 (6 of 10) and is a false positive above.
        var f = CocoEvaluator.Evaluate(
            [[Gt(0, 0, 0, 10, 10), Gt(0, 2, 0, 12, 10)]],
            [[Det(0, 0.9f, 0, 0, 10, 10), Det(0, 0.8f, 0.8f, 0, 10.8f, 10)]],
            Names).Figures;
        Assert.That(f.Map50, Is.EqualTo(1).Within(Tolerance));
        Assert.That(f.Map75, Is.EqualTo(1).Within(Tolerance));
        Assert.That(f.Map, Is.EqualTo((6 + (4 * 51.0 / 101)) / 10).Within(Tolerance));
        Assert.That(f.Mar100, Is.EqualTo((6 + (4 * 0.5)) / 10).Within(Tolerance));
    }

    [TestCase(0.9f, 0.8f, 0.5)]
    [TestCase(0.7f, 0.8f, 1.0)]
    public void DetectionsAreRankedAcrossImagesByConfidence(float missScore, float hitScore, double envelope)
    {
        // image 1: a miss; image 2: a hit; 2 ground-truth boxes. Miss ranked first: precision 0.5 at recall 0.5;
        // hit first: precision 1 at recall 0.5. Either way 51 of the 101 recall points are reached.
        var f = CocoEvaluator.Evaluate(
            [[Gt(0, 0, 0, 10, 10)], [Gt(0, 0, 0, 10, 10)]],
            [[Det(0, missScore, 50, 50, 60, 60)], [Det(0, hitScore, 0, 0, 10, 10)]],
            Names).Figures;
        Assert.That(f.Map, Is.EqualTo(envelope * 51 / 101).Within(Tolerance));
        Assert.That(f.Mar100, Is.EqualTo(0.5).Within(Tolerance));
    }

    [Test]
    public void SizeBucketsAreMeasuredInPixelsOfTheOriginalImage()
    {
        // a 40x40 digit (1600 px², medium) on a 640x640 page, through normalised prediction files and back: still
        // medium, though in a 160 px network input it would be 10x10 (small)
        var dir = TinyScenes.NewTempDirectory("coco-area");
        var page = new YoloSample(Path.Combine(dir, "page.png"), 640, 640, [Gt(0, 100, 100, 140, 140)]);
        PredictionFiles.Write(dir, [page], [[Det(0, 0.9f, 100, 100, 140, 140)]]);

        var f = CocoEvaluator.Evaluate([page.Objects], PredictionFiles.Read(dir, [page], Names), Names).Figures;

        Assert.That(f.MapMedium, Is.EqualTo(1).Within(1e-6));
        Assert.That(f.MapSmall, Is.EqualTo(-1));
        Assert.That(f.MarMedium, Is.EqualTo(1).Within(1e-6));
    }

    [Test]
    public void ANaNScoreIsRefusedNamingTheImage()
    {
        Assert.That(() => CocoEvaluator.Evaluate([[Gt(0, 0, 0, 10, 10)]], [[Det(0, float.NaN, 0, 0, 10, 10)]], Names),
            Throws.ArgumentException.With.Message.Contains("image 0").And.Message.Contains("NaN score"));
    }
}
