namespace DigitMl.Evaluation;

/// <summary>Average precision of one class at one IoU threshold, from its cumulative recall/precision points.</summary>
public static class AveragePrecision
{
    private static readonly double[] RecallGrid101 = Enumerable.Range(0, 101).Select(i => i / 100.0).ToArray();

    /// <summary>
    /// AP from recall and precision after each ranked prediction (recall non-decreasing).
    /// The curve is closed with the sentinels (recall 0, precision 1) and (recall 1, precision 0), precision is
    /// replaced by its envelope (max of itself and everything to its right), then integrated.
    /// </summary>
    public static double Compute(ReadOnlySpan<double> recall, ReadOnlySpan<double> precision, AveragePrecisionMethod method = AveragePrecisionMethod.Interpolated101) =>
        Compute(recall, precision, method, out _, out _);

    /// <summary>As <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, AveragePrecisionMethod)"/>; also returns the closed curve (recall, envelope).</summary>
    public static double Compute(ReadOnlySpan<double> recall, ReadOnlySpan<double> precision, AveragePrecisionMethod method, out double[] closedRecall, out double[] envelope)
    {
        if (recall.Length != precision.Length) throw new ArgumentException("recall and precision differ in length");
        int n = recall.Length + 2;
        closedRecall = new double[n];
        envelope = new double[n];
        closedRecall[0] = 0;
        envelope[0] = 1;
        recall.CopyTo(closedRecall.AsSpan(1));
        precision.CopyTo(envelope.AsSpan(1));
        closedRecall[n - 1] = 1;
        envelope[n - 1] = 0;
        for (int i = n - 2; i >= 0; i--) envelope[i] = Math.Max(envelope[i], envelope[i + 1]);

        if (method == AveragePrecisionMethod.Continuous)
        {
            double area = 0;
            for (int i = 0; i < n - 1; i++)
                if (closedRecall[i + 1] != closedRecall[i]) area += (closedRecall[i + 1] - closedRecall[i]) * envelope[i + 1];
            return area;
        }

        // 101 recall points, trapezoid rule: ends at recall 1 where the sentinel precision is 0,
        // which is why a perfect detector scores 0.995 and not 1.
        double sum = 0, previous = NumPyInterpolation.At(0, closedRecall, envelope);
        for (int k = 1; k < RecallGrid101.Length; k++)
        {
            double current = NumPyInterpolation.At(RecallGrid101[k], closedRecall, envelope);
            sum += (RecallGrid101[k] - RecallGrid101[k - 1]) * (current + previous) / 2;
            previous = current;
        }
        return sum;
    }
}
