namespace DigitMl.Scoring;

/// <summary>Column names of the scoring chain (inputs, intermediates, outputs).</summary>
public static class ScoringColumns
{
    public const string ImagePath = "ImagePath";

    /// <summary>Text column holding the chain's <see cref="DetectionSettings"/>; saved with the model as a constant expression.</summary>
    public const string Settings = "DetectionSettings";

    public const string LetterboxedImage = "LetterboxedImage";

    /// <summary>float[5]: scale, pad x, pad y, source width, source height.</summary>
    public const string LetterboxGeometry = "LetterboxGeometry";

    public const string OnnxInput = "images";

    public const string OnnxOutput = "output0";

    public const string PredictedLabels = "PredictedLabels";

    public const string PredictedBoxes = "PredictedBoxes";

    public const string Scores = "Scores";
}
