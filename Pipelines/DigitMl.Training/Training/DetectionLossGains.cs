namespace DigitMl.Training;

/// <summary>Weights of YOLOv8's three loss terms (the reference's defaults: box 7.5, cls 0.5, dfl 1.5).</summary>
public sealed record DetectionLossGains(double Box = 7.5, double Cls = 0.5, double Dfl = 1.5);
