using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>What <see cref="TaskAlignedAssigner.Assign"/> returns, all per anchor ([B, A, ...]).</summary>
/// <param name="TargetBoxes">[B, A, 4] box (x0, y0, x1, y1) of the ground truth each anchor is assigned to.</param>
/// <param name="TargetScores">[B, A, nc] one-hot class target scaled by the normalised alignment metric (0 for background).</param>
/// <param name="ForegroundMask">[B, A] true where the anchor is assigned to an object.</param>
/// <param name="TargetGtIndex">[B, A] index of the assigned ground truth (0 for background anchors).</param>
public sealed record TaskAlignedAssignment(Tensor TargetBoxes, Tensor TargetScores, Tensor ForegroundMask, Tensor TargetGtIndex) : IDisposable
{
    public void Dispose()
    {
        TargetBoxes.Dispose();
        TargetScores.Dispose();
        ForegroundMask.Dispose();
        TargetGtIndex.Dispose();
    }
}

/// <summary>
/// YOLOv8's task-aligned assigner (TOOD): every ground-truth box takes the <c>TopK</c> anchors whose centre
/// lies inside it (for this candidate test only, a box side shorter than <c>MinCandidateSide</c> pixels is widened
/// to <c>ExpandedCandidateSide</c> around its centre, as current Ultralytics does, so a thin "1" between two
/// stride-8 anchor centres still gets candidates) and that maximise <c>score^Alpha * CIoU^Beta</c> (predicted score of the box's class,
/// CIoU of the predicted box with the ground truth); an anchor claimed by several boxes goes to the one it
/// overlaps most; the class target is scaled so that each box's best-aligned anchor gets its best IoU.
/// </summary>
public sealed class TaskAlignedAssigner(int numClasses, int topK = 10, double alpha = 0.5, double beta = 6.0,
    double minCandidateSide = 8, double expandedCandidateSide = 16)
{
    private const double Eps = 1e-9;

    // held for the life of the assigner: see docs/training.md, "Native objects"
    private static readonly Scalar EpsScalar = Eps.ToScalar();
    private readonly Scalar _alpha = alpha.ToScalar();
    private readonly Scalar _beta = beta.ToScalar();
    private readonly Scalar _lastClass = (numClasses - 1).ToScalar();

    public int NumClasses { get; } = numClasses;

    public int TopK { get; } = topK;

    public double Alpha { get; } = alpha;

    public double Beta { get; } = beta;

    /// <summary>Box sides (pixels) below this are widened for the candidate test (the smallest stride; 0: off).</summary>
    public double MinCandidateSide { get; } = minCandidateSide;

    /// <summary>What a short side is widened to for the candidate test (twice the smallest stride).</summary>
    public double ExpandedCandidateSide { get; } = expandedCandidateSide;

    /// <param name="predScores">[B, A, nc] predicted class probabilities (after sigmoid, detached).</param>
    /// <param name="predBoxes">[B, A, 4] predicted boxes x0,y0,x1,y1 in input pixels (detached).</param>
    /// <param name="anchorPoints">[A, 2] anchor centres in input pixels.</param>
    /// <param name="gtLabels">[B, M] class index per ground-truth slot (any value in padded slots).</param>
    /// <param name="gtBoxes">[B, M, 4] ground-truth boxes x0,y0,x1,y1 in input pixels.</param>
    /// <param name="gtMask">[B, M] 1 for real boxes, 0 for padding.</param>
    public TaskAlignedAssignment Assign(Tensor predScores, Tensor predBoxes, Tensor anchorPoints, Tensor gtLabels, Tensor gtBoxes, Tensor gtMask)
    {
        long batch = predScores.shape[0], anchors = predScores.shape[1], maxBoxes = gtBoxes.shape[1];
        var device = predScores.device;
        if (maxBoxes == 0)
        {
            return new TaskAlignedAssignment(
                zeros([batch, anchors, 4], predBoxes.dtype, device),
                zeros([batch, anchors, NumClasses], predScores.dtype, device),
                zeros([batch, anchors], ScalarType.Bool, device),
                zeros([batch, anchors], ScalarType.Int64, device));
        }

        using var scope = NewDisposeScope();
        var labels = gtLabels.to_type(ScalarType.Int64).clamp(Scalars.Zero, _lastClass);
        var validGt = gtMask.to_type(predScores.dtype).unsqueeze(-1); // [B, M, 1]

        var inBox = CentresInside(anchorPoints, CandidateBoxes(gtBoxes, MinCandidateSide, ExpandedCandidateSide)) * validGt;  // [B, M, A]
        var (alignMetric, overlaps) = AlignmentMetrics(predScores, predBoxes, labels, gtBoxes, inBox);
        var topk = TopCandidates(alignMetric, validGt);
        var positive = topk * inBox;                                  // [B, M, A]

        var (targetGtIndex, foreground, resolved) = ResolveSharedAnchors(positive, overlaps, maxBoxes);

        var targetLabels = labels.gather(1, targetGtIndex);                                           // [B, A]
        var targetBoxes = gtBoxes.gather(1, targetGtIndex.unsqueeze(-1).expand(batch, anchors, 4));   // [B, A, 4]
        var isForeground = foreground.gt(Scalars.Zero);
        var targetScores = nn.functional.one_hot(targetLabels, NumClasses).to_type(predScores.dtype)
                           * isForeground.unsqueeze(-1).to_type(predScores.dtype);

        // each box's anchors are scored relative to its best-aligned anchor, scaled to the box's best IoU
        var metric = alignMetric * resolved;
        var bestMetric = metric.amax([-1], keepdim: true);                   // [B, M, 1]
        var bestOverlap = (overlaps * resolved).amax([-1], keepdim: true);   // [B, M, 1]
        var normalised = (metric * bestOverlap / bestMetric.Plus(EpsScalar)).amax([-2]).unsqueeze(-1); // [B, A, 1]
        targetScores = targetScores * normalised;

        return new TaskAlignedAssignment(
            targetBoxes.MoveToOuterDisposeScope(),
            targetScores.MoveToOuterDisposeScope(),
            isForeground.MoveToOuterDisposeScope(),
            targetGtIndex.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The boxes used to pick candidate anchors: each side shorter than <paramref name="minSide"/> becomes
    /// <paramref name="expandedSide"/> long around the same centre. Targets and IoUs keep the true boxes.
    /// </summary>
    internal static Tensor CandidateBoxes(Tensor gtBoxes, double minSide, double expandedSide)
    {
        if (minSide <= 0) return gtBoxes.alias();
        using var scope = NewDisposeScope();
        using var min = minSide.ToScalar();
        using var expanded = expandedSide.ToScalar();
        var x0y0 = gtBoxes.narrow(-1, 0, 2);
        var x1y1 = gtBoxes.narrow(-1, 2, 2);
        var centre = x0y0.Plus(x1y1).div(Scalars.Two);
        var size = x1y1 - x0y0;
        var widened = where(size.lt(min), full_like(size, expanded), size);
        var half = widened.div(Scalars.Two);
        return cat([centre - half, centre.Plus(half)], -1).MoveToOuterDisposeScope();
    }

    /// <summary>[B, M, A] 1 where the anchor centre lies strictly inside the box.</summary>
    internal static Tensor CentresInside(Tensor anchorPoints, Tensor gtBoxes)
    {
        using var scope = NewDisposeScope();
        var points = anchorPoints.unsqueeze(0).unsqueeze(0);                  // [1, 1, A, 2]
        var x0y0 = gtBoxes.narrow(-1, 0, 2).unsqueeze(2);                     // [B, M, 1, 2]
        var x1y1 = gtBoxes.narrow(-1, 2, 2).unsqueeze(2);
        var deltas = cat([points - x0y0, x1y1 - points], -1);                 // [B, M, A, 4]
        return deltas.amin([-1]).gt(EpsScalar).to_type(gtBoxes.dtype).MoveToOuterDisposeScope();
    }

    private (Tensor Metric, Tensor Overlaps) AlignmentMetrics(Tensor predScores, Tensor predBoxes, Tensor labels, Tensor gtBoxes, Tensor candidates)
    {
        long batch = predScores.shape[0], anchors = predScores.shape[1], maxBoxes = gtBoxes.shape[1];
        // score of each box's own class at every anchor: [B, M, A]
        var classIndex = labels.unsqueeze(-1).expand(batch, maxBoxes, anchors);
        var boxScores = predScores.transpose(1, 2).gather(1, classIndex) * candidates;
        var ciou = BoxGeometry.CompleteIoU(gtBoxes.unsqueeze(2), predBoxes.unsqueeze(1)).clamp_min(Scalars.Zero);
        var overlaps = ciou * candidates;
        var metric = boxScores.pow(_alpha) * overlaps.pow(_beta);
        return (metric, overlaps);
    }

    /// <summary>[B, M, A] 1 for the TopK anchors of each real box by alignment metric.</summary>
    private Tensor TopCandidates(Tensor metric, Tensor validGt)
    {
        int k = (int)Math.Min(TopK, metric.shape[^1]);
        var (_, indexes) = metric.topk(k, dim: -1, largest: true);
        var picked = zeros_like(metric).scatter_(-1, indexes, ones_like(indexes, metric.dtype));
        return picked * validGt;
    }

    /// <summary>An anchor picked by several boxes keeps only the box with the highest overlap.</summary>
    private static (Tensor TargetGtIndex, Tensor Foreground, Tensor Positive) ResolveSharedAnchors(Tensor positive, Tensor overlaps, long maxBoxes)
    {
        var foreground = positive.sum(-2);  // [B, A]
        var shared = foreground.gt(Scalars.One).unsqueeze(1).expand_as(positive);
        var best = nn.functional.one_hot(overlaps.argmax(1), maxBoxes).permute(0, 2, 1).to_type(positive.dtype);
        var resolved = where(shared, best, positive);
        return (resolved.argmax(-2), resolved.sum(-2), resolved);
    }
}
