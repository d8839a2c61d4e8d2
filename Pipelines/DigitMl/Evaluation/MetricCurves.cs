namespace DigitMl.Evaluation;

/// <summary>
/// Curves behind the summary numbers, one row per class of <see cref="DetectionMetrics.PerClass"/> (same order).
/// P/R/F1 are sampled at <see cref="Confidence"/> (0..1); the PR curve (IoU 0.5) at <see cref="RecallAxis"/> (0..1).
/// </summary>
public sealed record MetricCurves(
    IReadOnlyList<double> Confidence,
    IReadOnlyList<double[]> Precision,
    IReadOnlyList<double[]> Recall,
    IReadOnlyList<double[]> F1,
    IReadOnlyList<double> RecallAxis,
    IReadOnlyList<double[]> PrecisionAtRecall,
    IReadOnlyList<bool> HasPredictions)
{
    /// <summary>Mean over classes of one family of curves (all zeros when there are no classes).</summary>
    public static double[] Mean(IReadOnlyList<double[]> curves, int length)
    {
        var mean = new double[length];
        if (curves.Count == 0) return mean;
        foreach (var curve in curves)
            for (int i = 0; i < length; i++) mean[i] += curve[i];
        for (int i = 0; i < length; i++) mean[i] /= curves.Count;
        return mean;
    }
}
