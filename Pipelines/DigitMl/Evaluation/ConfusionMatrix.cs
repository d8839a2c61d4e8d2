using DigitMl.Data;

namespace DigitMl.Evaluation;

/// <summary>
/// Detection confusion matrix, [predicted, true], of size (classes + 1) squared: the last row and column are
/// "background" (a missed object lands in the background row, a detection of nothing in the background column).
/// Matching is class-agnostic: confident detections (conf &gt; <see cref="EvaluationOptions.ConfusionConfidence"/>) and
/// ground truth pair when IoU &gt; <see cref="EvaluationOptions.ConfusionIou"/>, each detection with its best box
/// and each box with its best detection, as the reference does.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    public ConfusionMatrix(IReadOnlyList<string> names)
    {
        Names = names;
        _counts = new long[names.Count + 1, names.Count + 1];
    }

    public IReadOnlyList<string> Names { get; }

    public int ClassCount => Names.Count;

    /// <summary>Index of the background row/column.</summary>
    public int Background => Names.Count;

    /// <summary>Count of objects of class <paramref name="trueClass"/> detected as <paramref name="predictedClass"/>.</summary>
    public long this[int predictedClass, int trueClass] => _counts[predictedClass, trueClass];

    /// <summary>Raw counts, [predicted, true].</summary>
    public long[,] Counts => (long[,])_counts.Clone();

    /// <summary>Each true-class column divided by its sum (columns sum to 1, or 0 when empty), like the reference's normalised plot.</summary>
    public double[,] Normalized()
    {
        int n = _counts.GetLength(0);
        var result = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            double sum = 0;
            for (int p = 0; p < n; p++) sum += _counts[p, t];
            for (int p = 0; p < n; p++) result[p, t] = _counts[p, t] / (sum + 1e-9);
        }
        return result;
    }

    /// <summary>Adds one image.</summary>
    public void Add(IReadOnlyList<LabeledBox> groundTruth, IReadOnlyList<Detection> detections, double confidence = 0.25, double iouThreshold = 0.45)
    {
        var confident = detections.Where(d => d.Score > confidence).ToList();
        if (groundTruth.Count == 0)
        {
            foreach (var d in confident) _counts[d.ClassId, Background]++;
            return;
        }

        int ng = groundTruth.Count, nd = confident.Count;
        // each detection keeps its best box (IoU > threshold); then each box keeps its best detection
        var detectionBest = new int[nd];
        var detectionIou = new float[nd];
        for (int d = 0; d < nd; d++)
        {
            detectionBest[d] = -1;
            for (int g = 0; g < ng; g++)
            {
                float iou = groundTruth[g].Box.IoU(confident[d].Box);
                if (iou > iouThreshold && iou > detectionIou[d])
                {
                    detectionIou[d] = iou;
                    detectionBest[d] = g;
                }
            }
        }
        var gtDetection = new int[ng];
        var gtIou = new float[ng];
        Array.Fill(gtDetection, -1);
        for (int d = 0; d < nd; d++)
        {
            int g = detectionBest[d];
            if (g >= 0 && detectionIou[d] > gtIou[g])
            {
                gtIou[g] = detectionIou[d];
                gtDetection[g] = d;
            }
        }

        var detectionMatched = new bool[nd];
        for (int g = 0; g < ng; g++)
        {
            int d = gtDetection[g];
            if (d >= 0)
            {
                _counts[confident[d].ClassId, groundTruth[g].ClassId]++;
                detectionMatched[d] = true;
            }
            else
            {
                _counts[Background, groundTruth[g].ClassId]++;
            }
        }
        for (int d = 0; d < nd; d++)
            if (!detectionMatched[d]) _counts[confident[d].ClassId, Background]++;
    }
}
