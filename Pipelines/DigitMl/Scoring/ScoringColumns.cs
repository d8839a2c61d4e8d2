namespace DigitMl.Scoring;

/// <summary>Default column names of the scoring chain (inputs, intermediates, outputs) and the ONNX tensor names.</summary>
public static class ScoringColumns
{
    /// <summary>Default input: a text column of image paths.</summary>
    public const string ImagePath = "ImagePath";

    /// <summary>The chain's image input when it reads ML.NET images (<c>MLImage</c>), as LoadImages names it in samples.</summary>
    public const string Image = "Image";

    /// <summary>Text column holding the chain's <see cref="DetectionSettings"/>; saved with the model as a constant expression.</summary>
    public const string Settings = "DetectionSettings";

    /// <summary>Text column holding the ONNX model (base64) inside model.zip; dropped at the end of the chain.</summary>
    public const string OnnxModel = "DigitMl.OnnxModel";

    /// <summary>Constant column the settings and model expressions are computed from (the chain's first step); dropped at the end.</summary>
    public const string RowAnchor = "DigitMl.RowAnchor";

    public const string OnnxInput = "images";

    public const string OnnxOutput = "output0";

    public const string PredictedLabels = "PredictedLabels";

    public const string PredictedBoxes = "PredictedBoxes";

    public const string Scores = "Scores";

    /// <summary>The page turn a turn-aware model detected, degrees clockwise (0, 90, 180, 270); -1 for plain models.</summary>
    public const string PageTurn = "PageTurn";
}
