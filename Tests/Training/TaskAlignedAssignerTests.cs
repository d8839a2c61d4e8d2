using DigitMl.Training;
using static TorchSharp.torch;

namespace DigitMl.Tests.Training;

/// <summary>A 4x4 grid of anchors, stride 8 (a 32 px image): anchor i = 4 * row + column, centre (8 col + 4, 8 row + 4).</summary>
public sealed class TaskAlignedAssignerTests
{
    private const int Grid = 4;
    private const int Anchors = Grid * Grid;

    private static Tensor AnchorPoints()
    {
        var points = new float[Anchors * 2];
        for (int i = 0; i < Anchors; i++)
        {
            points[2 * i] = ((i % Grid) * 8) + 4;
            points[(2 * i) + 1] = ((i / Grid) * 8) + 4;
        }
        return tensor(points).view(Anchors, 2);
    }

    /// <summary>[1, A, 4] every anchor predicts <paramref name="fallback"/> except the listed ones.</summary>
    private static Tensor PredictedBoxes(float[] fallback, params (int Anchor, float[] Box)[] overrides)
    {
        var boxes = new float[Anchors * 4];
        for (int i = 0; i < Anchors; i++) fallback.CopyTo(boxes, i * 4);
        foreach (var (anchor, box) in overrides) box.CopyTo(boxes, anchor * 4);
        return tensor(boxes).view(1, Anchors, 4);
    }

    private static int[] ForegroundAnchors(TaskAlignedAssignment a, int image = 0) =>
        [.. a.ForegroundMask[image].data<bool>().ToArray().Select((fg, i) => (fg, i)).Where(t => t.fg).Select(t => t.i)];

    [Test]
    public void TakesTheAnchorsWhoseCentresLieInsideTheBoxAndScalesScoresByAlignment()
    {
        var gt = new float[] { 0, 0, 16, 16 };
        var shorter = new float[] { 0, 0, 16, 12 };
        using var anchors = AnchorPoints();
        using var scores = full(1, Anchors, 3, 0.5f);
        using var pred = PredictedBoxes(gt, (1, shorter), (4, shorter), (5, shorter));
        using var labels = tensor(new long[] { 1 }).view(1, 1);
        using var boxes = tensor(gt).view(1, 1, 4);
        using var mask = ones(1, 1);

        using var a = new TaskAlignedAssigner(3).Assign(scores, pred, anchors, labels, boxes, mask);

        Assert.That(ForegroundAnchors(a), Is.EqualTo(new[] { 0, 1, 4, 5 }));
        Assert.That(a.TargetBoxes[0, 5].data<float>().ToArray(), Is.EqualTo(gt));
        var targetScores = a.TargetScores[0].data<float>().ToArray();
        // anchor 0 predicts the box exactly: it is the best aligned and gets the best IoU, 1
        Assert.That(targetScores[(0 * 3) + 1], Is.EqualTo(1f).Within(1e-5));
        // CIoU((0,0,16,16), (0,0,16,12)) = 0.75 - 4/512 - v*alpha = 0.7419296 (by hand); score ratio = CIoU^6
        Assert.That(targetScores[(1 * 3) + 1], Is.EqualTo(Math.Pow(0.7419296, 6)).Within(1e-4));
        Assert.That(targetScores[(1 * 3) + 0], Is.EqualTo(0f));
        Assert.That(targetScores[(2 * 3) + 1], Is.EqualTo(0f), "anchor 2 lies outside the box");
    }

    [Test]
    public void KeepsOnlyTheTopKBestAlignedCandidates()
    {
        var gt = new float[] { 0, 0, 24, 24 };  // nine anchor centres inside
        using var anchors = AnchorPoints();
        using var scores = full(1, Anchors, 2, 0.5f);
        using var pred = PredictedBoxes([0, 0, 8, 8], (5, gt), (10, [1, 1, 24, 24]));
        using var labels = tensor(new long[] { 0 }).view(1, 1);
        using var boxes = tensor(gt).view(1, 1, 4);
        using var mask = ones(1, 1);

        using var a = new TaskAlignedAssigner(2, topK: 2).Assign(scores, pred, anchors, labels, boxes, mask);

        Assert.That(ForegroundAnchors(a), Is.EqualTo(new[] { 5, 10 }));
    }

    [Test]
    public void AnchorClaimedByTwoBoxesGoesToTheBoxItOverlapsMost()
    {
        var boxA = new float[] { 0, 0, 16, 16 };
        var boxB = new float[] { 8, 8, 24, 24 };
        using var anchors = AnchorPoints();
        using var scores = full(1, Anchors, 3, 0.5f);
        // anchors of B's area predict B, the rest predict A; anchor 5 (12, 12) lies in both boxes and predicts B
        using var pred = PredictedBoxes(boxA, (5, boxB), (6, boxB), (9, boxB), (10, boxB));
        using var labels = tensor(new long[] { 0, 2 }).view(1, 2);
        using var boxes = tensor(boxA.Concat(boxB).ToArray()).view(1, 2, 4);
        using var mask = ones(1, 2);

        using var a = new TaskAlignedAssigner(3).Assign(scores, pred, anchors, labels, boxes, mask);

        Assert.That(ForegroundAnchors(a), Is.EqualTo(new[] { 0, 1, 4, 5, 6, 9, 10 }));
        var gtIndex = a.TargetGtIndex[0].data<long>().ToArray();
        Assert.That(new[] { gtIndex[0], gtIndex[1], gtIndex[4] }, Is.All.EqualTo(0));
        Assert.That(new[] { gtIndex[5], gtIndex[6], gtIndex[9], gtIndex[10] }, Is.All.EqualTo(1));
        var s = a.TargetScores[0].data<float>().ToArray();
        Assert.That(s[(5 * 3) + 2], Is.GreaterThan(0.99f), "anchor 5 gets B's class with B's best IoU");
        Assert.That(s[(5 * 3) + 0], Is.EqualTo(0f));
    }

    [Test]
    public void PaddingSlotsAndEmptyImagesAssignNothing()
    {
        using var anchors = AnchorPoints();
        using var scores = full(2, Anchors, 2, 0.5f);
        var gt = new float[] { 0, 0, 16, 16 };
        using var pred = cat([PredictedBoxes(gt), PredictedBoxes(gt)], 0);
        // image 0: one real box and a padding slot holding a box over everything; image 1: padding only
        using var labels = tensor(new long[] { 1, 0, 0, 0 }).view(2, 2);
        using var boxes = tensor(gt.Concat(new float[] { 0, 0, 32, 32 }).Concat(new float[] { 0, 0, 32, 32, 0, 0, 0, 0 }).ToArray()).view(2, 2, 4);
        using var mask = tensor(new float[] { 1, 0, 0, 0 }).view(2, 2);

        using var a = new TaskAlignedAssigner(2).Assign(scores, pred, anchors, labels, boxes, mask);

        Assert.That(ForegroundAnchors(a, 0), Is.EqualTo(new[] { 0, 1, 4, 5 }));
        Assert.That(ForegroundAnchors(a, 1), Is.Empty);
        Assert.That(a.TargetScores[1].sum().item<float>(), Is.EqualTo(0f));
    }

    [Test]
    public void NoBoxSlotsAtAllGivesAllBackground()
    {
        using var anchors = AnchorPoints();
        using var scores = full(2, Anchors, 2, 0.5f);
        using var pred = zeros(2, Anchors, 4);
        using var labels = zeros(2, 0, dtype: ScalarType.Int64);
        using var boxes = zeros(2, 0, 4);
        using var mask = zeros(2, 0);

        using var a = new TaskAlignedAssigner(2).Assign(scores, pred, anchors, labels, boxes, mask);

        Assert.That(a.ForegroundMask.any().item<bool>(), Is.False);
        Assert.That(a.TargetScores.shape, Is.EqualTo(new long[] { 2, Anchors, 2 }));
    }
}
