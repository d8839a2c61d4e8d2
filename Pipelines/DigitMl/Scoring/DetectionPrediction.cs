namespace DigitMl.Scoring;

/// <summary>Output row of the scoring chain (default column names), for PredictionEngine and CreateEnumerable.</summary>
public sealed class DetectionPrediction
{
    public string[] PredictedLabels { get; set; } = [];

    /// <summary>x0, y0, x1, y1 per detection in source image pixels, flattened.</summary>
    public float[] PredictedBoxes { get; set; } = [];

    public float[] Scores { get; set; } = [];

    /// <summary>The page turn a turn-aware model detected, degrees clockwise; -1 for plain models.</summary>
    public int PageTurn { get; set; } = -1;
}
