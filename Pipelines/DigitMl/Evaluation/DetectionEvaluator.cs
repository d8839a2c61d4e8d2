using DigitMl.Data;
using DigitMl.Evaluation.Coco;

namespace DigitMl.Evaluation;

/// <summary>
/// Detection metrics computed the way the reference (Ultralytics) validator computes them:
/// per image, class-aware matching at each IoU threshold (<see cref="PredictionMatcher"/>); then per class,
/// predictions of all images ranked by confidence, cumulative TP/FP, recall and precision, AP from the
/// precision envelope (<see cref="AveragePrecision"/>), P/R/F1 curves against confidence, and mean P and R at
/// the confidence that maximises the smoothed mean F1 curve. Means are over classes that have ground truth;
/// predictions of classes without ground truth are false positives that no mean sees (as in the reference),
/// and images without objects contribute only false positives.
/// </summary>
public static class DetectionEvaluator
{
    private const double Eps = 1e-16;

    /// <summary>Evaluates detections against ground truth; both lists hold one entry per image, in the same order.</summary>
    public static DetectionMetrics Evaluate(
        IReadOnlyList<IReadOnlyList<LabeledBox>> groundTruth,
        IReadOnlyList<IReadOnlyList<Detection>> predictions,
        IReadOnlyList<string> names,
        EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(names);
        options ??= new EvaluationOptions();
        if (groundTruth.Count != predictions.Count)
            throw new ArgumentException($"ground truth has {groundTruth.Count} images but predictions have {predictions.Count}; the lists must be aligned by image");
        if (options.IouThresholds.Count == 0) throw new ArgumentException("at least one IoU threshold is needed", nameof(options));

        int nc = names.Count, nt = options.IouThresholds.Count;
        var instances = new int[nc];
        var imagesWithClass = new int[nc];
        var confusion = new ConfusionMatrix(names);
        var records = new List<PredictionRecord>();
        var seen = new bool[nc];

        for (int image = 0; image < groundTruth.Count; image++)
        {
            var truth = groundTruth[image] ?? [];
            var detections = predictions[image] ?? [];
            Array.Clear(seen);
            foreach (var box in truth)
            {
                CheckClass(box.ClassId, nc, image, "ground-truth");
                instances[box.ClassId]++;
                if (!seen[box.ClassId]) imagesWithClass[box.ClassId]++;
                seen[box.ClassId] = true;
            }
            foreach (var d in detections) CheckClass(d.ClassId, nc, image, "predicted");

            // the reference matches NMS output, which is ordered by confidence (stable for ties)
            var ranked = detections.Count < 2 ? detections : detections.OrderByDescending(d => d.Score).ToList();
            var correct = PredictionMatcher.Match(truth, ranked, options.IouThresholds, options.Matching);
            for (int p = 0; p < ranked.Count; p++)
            {
                var tp = new bool[nt];
                for (int t = 0; t < nt; t++) tp[t] = correct[p, t];
                records.Add(new PredictionRecord(ranked[p].Score, ranked[p].ClassId, tp));
            }
            confusion.Add(truth, ranked, options.ConfusionConfidence, options.ConfusionIou);
        }

        var coco = options.IncludeCoco ? CocoEvaluator.Evaluate(groundTruth, predictions, names) : null;
        return Summarize(records, instances, imagesWithClass, names, groundTruth.Count, confusion, options, coco);
    }

    private static void CheckClass(int classId, int nc, int image, string what)
    {
        if (classId < 0 || classId >= nc)
            throw new ArgumentException($"image {image}: {what} class id {classId} is outside 0..{nc - 1} (the dataset has {nc} names)");
    }

    private sealed record PredictionRecord(float Score, int ClassId, bool[] Correct);

    private static DetectionMetrics Summarize(
        List<PredictionRecord> records, int[] instances, int[] imagesWithClass, IReadOnlyList<string> names,
        int images, ConfusionMatrix confusion, EvaluationOptions options, CocoMetrics? coco)
    {
        int nt = options.IouThresholds.Count, points = options.CurvePoints;
        // stable sort by confidence, highest first
        var ranked = records.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Score).ThenBy(x => x.i).Select(x => x.r).ToList();

        var axis = new double[points];
        for (int i = 0; i < points; i++) axis[i] = points == 1 ? 0 : (double)i / (points - 1);

        var classIds = Enumerable.Range(0, names.Count).Where(c => instances[c] > 0).ToList();
        var pCurves = new List<double[]>();
        var rCurves = new List<double[]>();
        var f1Curves = new List<double[]>();
        var prCurves = new List<double[]>();
        var hasPredictions = new List<bool>();
        var ap = new double[classIds.Count, nt];
        var predictionCounts = new int[classIds.Count];

        for (int ci = 0; ci < classIds.Count; ci++)
        {
            int c = classIds[ci];
            var mine = ranked.Where(r => r.ClassId == c).ToList();
            int nl = instances[c], np = mine.Count;
            predictionCounts[ci] = np;
            var pCurve = new double[points];
            var rCurve = new double[points];
            var prCurve = new double[points];
            pCurves.Add(pCurve);
            rCurves.Add(rCurve);
            prCurves.Add(prCurve);
            hasPredictions.Add(np > 0);
            if (np == 0) continue;

            var negConf = new double[np];
            for (int k = 0; k < np; k++) negConf[k] = -(double)mine[k].Score;
            var recall = new double[np];
            var precision = new double[np];
            for (int t = 0; t < nt; t++)
            {
                double tpc = 0, fpc = 0;
                for (int k = 0; k < np; k++)
                {
                    if (mine[k].Correct[t]) tpc++;
                    else fpc++;
                    recall[k] = tpc / (nl + Eps);
                    precision[k] = tpc / (tpc + fpc);
                }
                if (t == 0)
                {
                    for (int i = 0; i < points; i++)
                    {
                        rCurve[i] = NumPyInterpolation.At(-axis[i], negConf, recall, left: 0, right: recall[^1]);
                        pCurve[i] = NumPyInterpolation.At(-axis[i], negConf, precision, left: 1, right: precision[^1]);
                    }
                }
                ap[ci, t] = AveragePrecision.Compute(recall, precision, options.ApMethod, out var closedRecall, out var envelope);
                if (t == 0)
                    for (int i = 0; i < points; i++) prCurve[i] = NumPyInterpolation.At(axis[i], closedRecall, envelope);
            }
        }

        foreach (var (p, r) in pCurves.Zip(rCurves))
        {
            var f1 = new double[points];
            for (int i = 0; i < points; i++) f1[i] = 2 * p[i] * r[i] / (p[i] + r[i] + Eps);
            f1Curves.Add(f1);
        }

        int best = classIds.Count == 0 ? 0 : ArgMax(Smooth(MetricCurves.Mean(f1Curves, points), 0.1));
        var perClass = new List<ClassMetrics>();
        for (int ci = 0; ci < classIds.Count; ci++)
        {
            int c = classIds[ci];
            var apRow = Enumerable.Range(0, nt).Select(t => ap[ci, t]).ToArray();
            perClass.Add(new ClassMetrics(c, names[c], imagesWithClass[c], instances[c], predictionCounts[ci],
                pCurves[ci][best], rCurves[ci][best], f1Curves[ci][best], apRow[0], apRow.Average(), apRow));
        }

        var mapPerIou = Enumerable.Range(0, nt).Select(t => classIds.Count == 0 ? 0 : Enumerable.Range(0, classIds.Count).Average(ci => ap[ci, t])).ToArray();
        return new DetectionMetrics
        {
            Map50 = mapPerIou[0],
            Map50To95 = mapPerIou.Average(),
            MapPerIou = mapPerIou,
            Precision = MeanOrZero(perClass.Select(c => c.Precision)),
            Recall = MeanOrZero(perClass.Select(c => c.Recall)),
            F1 = MeanOrZero(perClass.Select(c => c.F1)),
            ConfAtBestF1 = classIds.Count == 0 ? 0 : axis[best],
            Images = images,
            Instances = instances.Sum(),
            Predictions = records.Count,
            Names = names.ToArray(),
            IouThresholds = options.IouThresholds.ToArray(),
            PerClass = perClass,
            Curves = new MetricCurves(axis, pCurves, rCurves, f1Curves, axis, prCurves, hasPredictions),
            ConfusionMatrix = confusion,
            Coco = coco,
        };
    }

    private static double MeanOrZero(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? 0 : list.Average();
    }

    /// <summary>Box filter of width about 2*fraction*n (odd), edges padded with the end values: the reference's F1 smoothing.</summary>
    internal static double[] Smooth(double[] y, double fraction)
    {
        int n = y.Length;
        int width = ((int)Math.Round(n * fraction * 2, MidpointRounding.ToEven) / 2) + 1;
        int half = width / 2;
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int k = i - half; k <= i + half; k++) sum += y[Math.Clamp(k, 0, n - 1)];
            result[i] = sum / width;
        }
        return result;
    }

    /// <summary>Index of the first maximum.</summary>
    internal static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
