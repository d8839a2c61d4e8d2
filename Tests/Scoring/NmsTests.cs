using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

public sealed class NmsTests
{
    private static readonly BoundingBox A = new(0, 0, 10, 10);
    private static readonly BoundingBox AShifted = new(1, 0, 11, 10); // IoU with A = 90/110 = 0.818
    private static readonly BoundingBox Far = new(50, 50, 60, 60);

    [Test]
    public void OverlappingBoxesOfTheSameClassKeepTheBestOnly()
    {
        var kept = Nms.Apply([new(0, 0.6f, A), new(0, 0.9f, AShifted), new(0, 0.5f, Far)], 0.7f, 300);
        Assert.That(kept, Is.EqualTo(new ScoredBox[] { new(0, 0.9f, AShifted), new(0, 0.5f, Far) }));
    }

    [Test]
    public void ClassAwareKeepsOverlapsOfOtherClassesAgnosticDoesNot()
    {
        ScoredBox[] boxes = [new(0, 0.9f, A), new(1, 0.8f, AShifted)];
        Assert.That(Nms.Apply(boxes, 0.7f, 300), Has.Count.EqualTo(2));
        Assert.That(Nms.Apply(boxes, 0.7f, 300, classAgnostic: true), Is.EqualTo(new[] { boxes[0] }));
    }

    [Test]
    public void OnlyIoUStrictlyAboveTheThresholdSuppresses()
    {
        float iou = A.IoU(AShifted);
        ScoredBox[] boxes = [new(0, 0.9f, A), new(0, 0.8f, AShifted)];
        Assert.That(Nms.Apply(boxes, iou, 300), Has.Count.EqualTo(2));
        Assert.That(Nms.Apply(boxes, iou - 1e-4f, 300), Has.Count.EqualTo(1));
    }

    [Test]
    public void MaxDetectionsKeepsTheBestScores()
    {
        var boxes = Enumerable.Range(0, 10).Select(i => new ScoredBox(0, i / 10f, new BoundingBox(i * 20, 0, (i * 20) + 10, 10))).ToList();
        var kept = Nms.Apply(boxes, 0.7f, 3);
        Assert.That(kept.Select(k => k.Score), Is.EqualTo(new[] { 0.9f, 0.8f, 0.7f }));
    }

    [Test]
    public void DecoderPicksBestClassFiltersByConfidenceAndReturnsCornerBoxes()
    {
        // 3 anchors, 2 classes: rows cx, cy, w, h, score0, score1
        float[] output =
        [
            10, 30, 50,
            10, 30, 50,
            4, 6, 8,
            4, 6, 8,
            0.9f, 0.1f, 0.2f,
            0.3f, 0.2f, 0.6f,
        ];
        var detections = YoloOutputDecoder.Decode(output, 2, new DetectionThresholds(Confidence: 0.25f));
        Assert.That(detections, Is.EqualTo(new ScoredBox[]
        {
            new(0, 0.9f, new BoundingBox(8, 8, 12, 12)),
            new(1, 0.6f, new BoundingBox(46, 46, 54, 54)),
        }));
    }

    [Test]
    public void DecoderRejectsAnOutputOfTheWrongLength() =>
        Assert.Throws<ArgumentException>(() => YoloOutputDecoder.Decode(new float[13], 2, new DetectionThresholds()));
}
