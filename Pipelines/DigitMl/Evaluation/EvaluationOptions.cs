namespace DigitMl.Evaluation;

/// <summary>How <see cref="DetectionEvaluator"/> scores detections. The defaults reproduce the reference (Ultralytics) validator.</summary>
public sealed record EvaluationOptions
{
    /// <summary>IoU thresholds for AP: 0.50, 0.55, ..., 0.95. The first one is the "mAP50" threshold.</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = DefaultIouThresholds;

    /// <summary>How the area under the precision envelope is integrated.</summary>
    public AveragePrecisionMethod ApMethod { get; init; } = AveragePrecisionMethod.Interpolated101;

    /// <summary>How detections are paired with ground truth at each IoU threshold.</summary>
    public MatchingMethod Matching { get; init; } = MatchingMethod.Reference;

    /// <summary>Confusion matrix: detections with confidence strictly above this take part.</summary>
    public double ConfusionConfidence { get; init; } = 0.25;

    /// <summary>Confusion matrix: a detection and a ground-truth box match when their IoU is strictly above this (class-agnostic).</summary>
    public double ConfusionIou { get; init; } = 0.45;

    /// <summary>Points of the P/R/F1-versus-confidence and PR curves (the reference uses 1000).</summary>
    public int CurvePoints { get; init; } = 1000;

    /// <summary>
    /// Also compute the COCO figures (<see cref="Coco.CocoEvaluator"/>: map, map_50, ..., mar_large, per class) into
    /// <see cref="DetectionMetrics.Coco"/> and the <c>coco</c> key of metrics.json. They follow the COCO definition,
    /// whatever the other options say.
    /// </summary>
    public bool IncludeCoco { get; init; }

    public static IReadOnlyList<double> DefaultIouThresholds { get; } =
        Enumerable.Range(0, 10).Select(i => Math.Round(0.5 + (0.05 * i), 2)).ToArray();
}

/// <summary>Integration of the precision envelope over recall.</summary>
public enum AveragePrecisionMethod
{
    /// <summary>The reference's default: the envelope sampled at 101 recall points and integrated with the trapezoid rule (a perfect detector scores 0.995).</summary>
    Interpolated101,

    /// <summary>Exact area under the step-shaped envelope ("all points", VOC 2010+); a perfect detector scores 1.0.</summary>
    Continuous,
}

/// <summary>Pairing of detections with ground-truth boxes of the same class at one IoU threshold.</summary>
public enum MatchingMethod
{
    /// <summary>The reference's: each detection picks its best box; each box keeps the most confident detection that picked it.</summary>
    Reference,

    /// <summary>Global greedy by IoU: pairs taken from the highest IoU down, each box and detection at most once (ML.NET's EvaluateObjectDetection).</summary>
    GreedyByIoU,
}
