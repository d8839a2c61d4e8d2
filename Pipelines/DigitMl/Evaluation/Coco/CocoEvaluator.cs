using DigitMl.Data;

namespace DigitMl.Evaluation.Coco;

/// <summary>
/// Detection metrics as the COCO evaluation defines them (pycocotools' COCOeval for boxes, which torchmetrics'
/// MeanAveragePrecision and most papers report), written from its documented algorithm:
/// <list type="number">
/// <item>per image and class, detections sorted by confidence (stable) and cut to the 100 most confident;</item>
/// <item>per area range and IoU threshold 0.50:0.05:0.95, greedy matching in confidence order
/// (<see cref="CocoImageEvaluation.Match"/>), ground truth outside the area range ignored, and unmatched detections
/// outside it too;</item>
/// <item>per class, area range and maximum 1/10/100 detections per image: the kept detections of all images ranked
/// by confidence (stable, image order on ties), cumulative TP/FP, recall against the ground truth in range, the
/// precision envelope sampled at the 101 recall points (the first ranked position reaching each; 0 beyond the
/// recall reached); AR is the recall reached;</item>
/// <item>figures are means over IoU thresholds, recall points and the classes with ground truth in range; a class
/// without any scores -1 and stays out of the means (-1 when no class is left).</item>
/// </list>
/// Boxes are in pixels of the original image, so the size buckets (small &lt; 32², medium &lt; 96², large) are
/// those of the picture the user has, not of the letterboxed network input.
/// </summary>
public static class CocoEvaluator
{
    // pycocotools divides by tp + fp + np.spacing(1), the gap between 1 and the next double
    private static readonly double Spacing1 = Math.BitIncrement(1.0) - 1.0;

    /// <summary>Evaluates detections against ground truth; both lists hold one entry per image, in the same order.</summary>
    public static CocoMetrics Evaluate(
        IReadOnlyList<IReadOnlyList<LabeledBox>> groundTruth,
        IReadOnlyList<IReadOnlyList<Detection>> predictions,
        IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(names);
        if (groundTruth.Count != predictions.Count)
            throw new ArgumentException($"ground truth has {groundTruth.Count} images but predictions have {predictions.Count}; the lists must be aligned by image");

        int nc = names.Count, na = CocoParameters.AreaRanges.Count, maxKept = CocoParameters.MaxDetections[^1];
        var evaluations = new List<CocoImageEvaluation>[nc, na];
        for (int c = 0; c < nc; c++)
            for (int a = 0; a < na; a++) evaluations[c, a] = [];
        var instances = new int[nc];
        int predictionCount = 0;

        for (int image = 0; image < groundTruth.Count; image++)
        {
            var truth = groundTruth[image] ?? [];
            var detections = predictions[image] ?? [];
            predictionCount += detections.Count;
            var truthByClass = new Dictionary<int, List<BoundingBox>>();
            var detectionsByClass = new Dictionary<int, List<Detection>>();
            foreach (var box in truth)
            {
                CheckClass(box.ClassId, nc, image, "ground-truth");
                instances[box.ClassId]++;
                Add(truthByClass, box.ClassId, box.Box);
            }
            for (int d = 0; d < detections.Count; d++)
            {
                var detection = detections[d];
                CheckClass(detection.ClassId, nc, image, "predicted");
                if (float.IsNaN(detection.Score))
                    throw new ArgumentException($"image {image}: detection {d} (class {detection.ClassId}) has a NaN score");
                Add(detectionsByClass, detection.ClassId, detection);
            }

            foreach (int c in truthByClass.Keys.Union(detectionsByClass.Keys).Order())
            {
                var boxes = truthByClass.GetValueOrDefault(c) ?? [];
                var kept = (detectionsByClass.GetValueOrDefault(c) ?? []).OrderByDescending(d => d.Score).Take(maxKept).ToList();
                var iou = new double[kept.Count, boxes.Count];
                for (int d = 0; d < kept.Count; d++)
                    for (int g = 0; g < boxes.Count; g++) iou[d, g] = CocoImageEvaluation.IoU(kept[d].Box, boxes[g]);
                for (int a = 0; a < na; a++)
                    evaluations[c, a].Add(CocoImageEvaluation.Match(boxes, kept, iou, CocoParameters.AreaRanges[a]));
            }
        }

        var perClass = new List<CocoClassMetrics>(nc);
        for (int c = 0; c < nc; c++)
            perClass.Add(new CocoClassMetrics(c, names[c], instances[c], Summarize(evaluations, c)));
        return new CocoMetrics
        {
            Figures = MeanOverClasses(perClass.Select(p => p.Figures).ToList()),
            PerClass = perClass,
            Images = groundTruth.Count,
            Instances = instances.Sum(),
            Predictions = predictionCount,
        };
    }

    private static void Add<T>(Dictionary<int, List<T>> groups, int key, T value)
    {
        if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
        list.Add(value);
    }

    private static void CheckClass(int classId, int nc, int image, string what)
    {
        if (classId < 0 || classId >= nc)
            throw new ArgumentException($"image {image}: {what} class id {classId} is outside 0..{nc - 1} (the dataset has {nc} names)");
    }

    /// <summary>Precision [threshold, recall point] and recall [threshold] of one class, area range and detection cap.</summary>
    private sealed record Accumulated(double[,] Precision, double[] Recall);

    /// <summary>The twelve figures of one class; -1 for those whose area range holds none of its ground truth.</summary>
    private static CocoFigures Summarize(List<CocoImageEvaluation>[,] evaluations, int c)
    {
        int all = 0, small = 1, medium = 2, large = 3;
        int t50 = CocoParameters.IouIndex(0.5), t75 = CocoParameters.IouIndex(0.75);
        var caps = CocoParameters.MaxDetections;
        var at100 = new Accumulated?[CocoParameters.AreaRanges.Count];
        for (int a = 0; a < at100.Length; a++) at100[a] = Accumulate(evaluations[c, a], caps[^1]);
        var allAt1 = Accumulate(evaluations[c, all], caps[0]);
        var allAt10 = Accumulate(evaluations[c, all], caps[1]);

        return new CocoFigures(
            Map: Precision(at100[all], null),
            Map50: Precision(at100[all], t50),
            Map75: Precision(at100[all], t75),
            MapSmall: Precision(at100[small], null),
            MapMedium: Precision(at100[medium], null),
            MapLarge: Precision(at100[large], null),
            Mar1: Recall(allAt1),
            Mar10: Recall(allAt10),
            Mar100: Recall(at100[all]),
            MarSmall: Recall(at100[small]),
            MarMedium: Recall(at100[medium]),
            MarLarge: Recall(at100[large]));
    }

    private static double Precision(Accumulated? accumulated, int? threshold)
    {
        if (accumulated is null) return -1;
        var p = accumulated.Precision;
        int from = threshold ?? 0, to = threshold ?? p.GetLength(0) - 1, points = p.GetLength(1);
        double sum = 0;
        for (int t = from; t <= to; t++)
            for (int r = 0; r < points; r++) sum += p[t, r];
        return sum / ((to - from + 1) * points);
    }

    private static double Recall(Accumulated? accumulated) => accumulated is null ? -1 : accumulated.Recall.Average();

    /// <summary>pycocotools' <c>accumulate</c> for one class, area range and cap; null when there is no ground truth in range.</summary>
    private static Accumulated? Accumulate(List<CocoImageEvaluation> images, int cap)
    {
        int relevant = images.Sum(e => e.RelevantGroundTruth);
        if (relevant == 0) return null;

        // the kept detections of every image, ranked by confidence; ties stay in image order
        var entries = new List<(float Score, CocoImageEvaluation Image, int Index)>();
        foreach (var e in images)
            for (int d = 0; d < Math.Min(cap, e.Scores.Length); d++) entries.Add((e.Scores[d], e, d));
        var ranked = entries.OrderByDescending(x => x.Score).ToList();

        int nt = CocoParameters.IouThresholds.Count, nr = CocoParameters.RecallThresholds.Count, nd = ranked.Count;
        var precision = new double[nt, nr];
        var recall = new double[nt];
        var rc = new double[nd];
        var pr = new double[nd];
        for (int t = 0; t < nt; t++)
        {
            double tp = 0, fp = 0;
            for (int i = 0; i < nd; i++)
            {
                var (_, image, index) = ranked[i];
                if (!image.Ignored[t, index])
                {
                    if (image.Matched[t, index]) tp++;
                    else fp++;
                }
                rc[i] = tp / relevant;
                pr[i] = tp / (tp + fp + Spacing1);
            }
            recall[t] = nd > 0 ? rc[nd - 1] : 0;
            for (int i = nd - 1; i > 0; i--) pr[i - 1] = Math.Max(pr[i - 1], pr[i]);
            for (int r = 0; r < nr; r++)
            {
                int first = FirstAtLeast(rc, CocoParameters.RecallThresholds[r]);
                precision[t, r] = first < nd ? pr[first] : 0;
            }
        }
        return new Accumulated(precision, recall);
    }

    /// <summary>First index whose value is at least <paramref name="value"/> (numpy's searchsorted, side left); the length when none.</summary>
    private static int FirstAtLeast(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static CocoFigures MeanOverClasses(IReadOnlyList<CocoFigures> perClass)
    {
        double Mean(Func<CocoFigures, double> figure)
        {
            var values = perClass.Select(figure).Where(v => v > -1).ToList();
            return values.Count == 0 ? -1 : values.Average();
        }
        return new CocoFigures(
            Mean(f => f.Map), Mean(f => f.Map50), Mean(f => f.Map75), Mean(f => f.MapSmall), Mean(f => f.MapMedium), Mean(f => f.MapLarge),
            Mean(f => f.Mar1), Mean(f => f.Mar10), Mean(f => f.Mar100), Mean(f => f.MarSmall), Mean(f => f.MarMedium), Mean(f => f.MarLarge));
    }
}
