using DigitMl.Data;

namespace DigitMl.Evaluation.Coco;

/// <summary>
/// The matching of one image, one class and one area range at every IoU threshold (pycocotools' <c>evaluateImg</c>):
/// which of the image's detections (most confident first, at most <c>maxDets[-1]</c>) found a ground-truth box, and
/// which of them the area range ignores.
/// </summary>
internal sealed class CocoImageEvaluation
{
    private CocoImageEvaluation(float[] scores, bool[,] matched, bool[,] ignored, int relevantGroundTruth)
    {
        Scores = scores;
        Matched = matched;
        Ignored = ignored;
        RelevantGroundTruth = relevantGroundTruth;
    }

    /// <summary>Detection confidences, highest first.</summary>
    public float[] Scores { get; }

    /// <summary>[threshold, detection]: the detection matched a ground-truth box (ignored or not).</summary>
    public bool[,] Matched { get; }

    /// <summary>[threshold, detection]: the detection counts neither as true nor as false positive.</summary>
    public bool[,] Ignored { get; }

    /// <summary>Ground-truth boxes inside the area range: the ones recall is measured against.</summary>
    public int RelevantGroundTruth { get; }

    /// <summary>
    /// <paramref name="detections"/> ordered by confidence, highest first; <paramref name="iou"/>[detection, box] with
    /// boxes in the order of <paramref name="groundTruth"/>.
    /// </summary>
    /// <remarks>
    /// Ground truth outside the area range is moved behind the rest (stable), then at each threshold every detection
    /// in turn takes the not yet matched box it overlaps most with IoU at least the threshold, preferring boxes inside
    /// the range: once it holds one of those it stops before the ignored ones. A detection matched to an ignored box is
    /// ignored, and so is an unmatched detection whose own area is outside the range. There are no crowd boxes in YOLO
    /// labels, so every box can be matched once.
    /// </remarks>
    public static CocoImageEvaluation Match(IReadOnlyList<BoundingBox> groundTruth, IReadOnlyList<Detection> detections, double[,] iou, CocoAreaRange area)
    {
        int ng = groundTruth.Count, nd = detections.Count, nt = CocoParameters.IouThresholds.Count;
        var outside = groundTruth.Select(g => area.Excludes(Area(g))).ToArray();
        int[] order = [.. Enumerable.Range(0, ng).Where(g => !outside[g]), .. Enumerable.Range(0, ng).Where(g => outside[g])];
        int relevant = outside.Count(o => !o);

        var matched = new bool[nt, nd];
        var ignored = new bool[nt, nd];
        var taken = new bool[ng];
        for (int t = 0; t < nt; t++)
        {
            Array.Clear(taken);
            for (int d = 0; d < nd; d++)
            {
                double best = Math.Min(CocoParameters.IouThresholds[t], 1 - 1e-10);
                int m = -1;
                foreach (int g in order)
                {
                    if (taken[g]) continue;
                    if (m >= 0 && !outside[m] && outside[g]) break;
                    if (iou[d, g] < best) continue;
                    best = iou[d, g];
                    m = g;
                }
                if (m < 0) continue;
                taken[m] = true;
                matched[t, d] = true;
                ignored[t, d] = outside[m];
            }
        }
        for (int d = 0; d < nd; d++)
        {
            if (!area.Excludes(Area(detections[d].Box))) continue;
            for (int t = 0; t < nt; t++)
                if (!matched[t, d]) ignored[t, d] = true;
        }
        return new CocoImageEvaluation(detections.Select(x => x.Score).ToArray(), matched, ignored, relevant);
    }

    /// <summary>Box area as COCO takes it for boxes without masks: width x height, in double precision.</summary>
    public static double Area(BoundingBox box) => Math.Max(0, (double)box.X1 - box.X0) * Math.Max(0, (double)box.Y1 - box.Y0);

    /// <summary>IoU in double precision (COCO's <c>bbIou</c>); 0 for disjoint or empty boxes.</summary>
    public static double IoU(BoundingBox a, BoundingBox b)
    {
        double iw = Math.Min((double)a.X1, b.X1) - Math.Max((double)a.X0, b.X0);
        double ih = Math.Min((double)a.Y1, b.Y1) - Math.Max((double)a.Y0, b.Y0);
        if (iw <= 0 || ih <= 0) return 0;
        double intersection = iw * ih;
        double union = Area(a) + Area(b) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
