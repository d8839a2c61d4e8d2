namespace DigitMl.Evaluation.Coco;

/// <summary>
/// The fixed parameters of the COCO detection evaluation (pycocotools' defaults, which torchmetrics'
/// MeanAveragePrecision uses too). The summary figures are defined in terms of them, so they are not options.
/// </summary>
public static class CocoParameters
{
    /// <summary>IoU thresholds 0.50, 0.55, ..., 0.95, computed as numpy's <c>linspace(0.5, 0.95, 10)</c> computes them.</summary>
    public static IReadOnlyList<double> IouThresholds { get; } = LinSpace(0.5, 0.95, 10);

    /// <summary>The 101 recall points 0, 0.01, ..., 1 at which precision is sampled (<c>linspace(0, 1, 101)</c>).</summary>
    public static IReadOnlyList<double> RecallThresholds { get; } = LinSpace(0, 1, 101);

    /// <summary>Detections kept per image and class, most confident first: 1, 10 and 100.</summary>
    public static IReadOnlyList<int> MaxDetections { get; } = [1, 10, 100];

    /// <summary>all, small, medium, large (in this order).</summary>
    public static IReadOnlyList<CocoAreaRange> AreaRanges { get; } = [CocoAreaRange.All, CocoAreaRange.Small, CocoAreaRange.Medium, CocoAreaRange.Large];

    /// <summary>Index of <paramref name="iou"/> in <see cref="IouThresholds"/>.</summary>
    internal static int IouIndex(double iou)
    {
        for (int t = 0; t < IouThresholds.Count; t++)
            if (Math.Abs(IouThresholds[t] - iou) < 1e-9) return t;
        throw new ArgumentOutOfRangeException(nameof(iou), iou, "not one of the COCO IoU thresholds");
    }

    // the same arithmetic as numpy (start + i * step, the last point exactly stop), so that values such as
    // 0.07 versus 7 * 0.01 compare with recalls exactly as in the reference implementation
    private static double[] LinSpace(double start, double stop, int count)
    {
        var values = new double[count];
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++) values[i] = (i * step) + start;
        values[^1] = stop;
        return values;
    }
}
