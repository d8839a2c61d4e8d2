namespace DigitMl.Evaluation.Coco;

/// <summary>The COCO figures of one class alone (every figure -1 when the class has no ground truth).</summary>
public sealed record CocoClassMetrics(int ClassId, string Name, int Instances, CocoFigures Figures);
