namespace DigitMl.Scoring;

/// <summary>Output row of the scoring chain, for PredictionEngine and CreateEnumerable.</summary>
public sealed class DetectionPrediction
{
    public string[] PredictedLabels { get; set; } = [];

    /// <summary>x0, y0, x1, y1 per detection in source image pixels, flattened.</summary>
    public float[] PredictedBoxes { get; set; } = [];

    public float[] Scores { get; set; } = [];
}
