using DigitMl.Data;

namespace DigitMl.Evaluation;

/// <summary>
/// Decides, per IoU threshold, which predictions of one image are true positives (class-aware),
/// the way the reference validator's <c>match_predictions</c> does.
/// </summary>
public static class PredictionMatcher
{
    /// <summary>
    /// <paramref name="predictions"/> must be ordered by confidence, highest first (as NMS output is).
    /// Returns correct[prediction, threshold].
    /// </summary>
    /// <remarks>
    /// Each prediction first picks the same-class ground-truth box it overlaps most. Then each ground-truth box
    /// keeps, among the predictions that picked it with IoU &gt;= threshold, the first one in order (the most
    /// confident). A prediction whose best box went to another prediction is not re-matched to its second-best
    /// box. This is not a pure global greedy-by-IoU assignment; it is what the reference computes.
    /// </remarks>
    public static bool[,] Match(IReadOnlyList<LabeledBox> groundTruth, IReadOnlyList<Detection> predictions, IReadOnlyList<double> iouThresholds, MatchingMethod method = MatchingMethod.Reference)
    {
        if (method == MatchingMethod.GreedyByIoU) return MatchGreedyByIoU(groundTruth, predictions, iouThresholds);
        int np = predictions.Count, ng = groundTruth.Count, nt = iouThresholds.Count;
        var correct = new bool[np, nt];
        if (np == 0 || ng == 0) return correct;

        var bestGt = new int[np];
        var bestIou = new float[np]; // float like the reference's IoU tensor; thresholds compared in float too
        for (int p = 0; p < np; p++)
        {
            bestGt[p] = -1;
            var prediction = predictions[p];
            for (int g = 0; g < ng; g++)
            {
                if (groundTruth[g].ClassId != prediction.ClassId) continue;
                float iou = groundTruth[g].Box.IoU(prediction.Box);
                if (iou > 0 && iou >= bestIou[p])
                {
                    bestIou[p] = iou;
                    bestGt[p] = g;
                }
            }
        }

        var taken = new bool[ng];
        for (int t = 0; t < nt; t++)
        {
            Array.Clear(taken);
            float threshold = (float)iouThresholds[t];
            for (int p = 0; p < np; p++)
            {
                int g = bestGt[p];
                if (g < 0 || bestIou[p] < threshold || taken[g]) continue;
                taken[g] = true;
                correct[p, t] = true;
            }
        }
        return correct;
    }

    private static bool[,] MatchGreedyByIoU(IReadOnlyList<LabeledBox> groundTruth, IReadOnlyList<Detection> predictions, IReadOnlyList<double> iouThresholds)
    {
        int np = predictions.Count, ng = groundTruth.Count, nt = iouThresholds.Count;
        var correct = new bool[np, nt];
        var pairs = new List<(int G, int P, float Iou)>();
        for (int g = 0; g < ng; g++)
            for (int p = 0; p < np; p++)
            {
                if (groundTruth[g].ClassId != predictions[p].ClassId) continue;
                float iou = groundTruth[g].Box.IoU(predictions[p].Box);
                if (iou > 0) pairs.Add((g, p, iou));
            }
        pairs.Sort((a, b) => b.Iou.CompareTo(a.Iou));
        var gtTaken = new bool[ng];
        var predictionTaken = new bool[np];
        for (int t = 0; t < nt; t++)
        {
            Array.Clear(gtTaken);
            Array.Clear(predictionTaken);
            float threshold = (float)iouThresholds[t];
            foreach (var (g, p, iou) in pairs)
            {
                if (iou < threshold) break;
                if (gtTaken[g] || predictionTaken[p]) continue;
                gtTaken[g] = predictionTaken[p] = true;
                correct[p, t] = true;
            }
        }
        return correct;
    }
}
