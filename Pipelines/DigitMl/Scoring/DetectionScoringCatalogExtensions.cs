using Microsoft.ML;

namespace DigitMl.Scoring;

/// <summary><c>mlContext.Detection().ScoreWithOnnx(...)</c>: the scoring chain of an exported detector as an estimator.</summary>
public static class DetectionScoringCatalogExtensions
{
    /// <summary>
    /// ImagePath -> PredictedLabels, PredictedBoxes, Scores with a YOLOv8 ONNX detector (ours or the reference's export).
    /// Nothing is learned: Fit only checks the input schema. Same as <see cref="DetectionScoringChain.CreateEstimator"/>.
    /// </summary>
    public static IEstimator<ITransformer> ScoreWithOnnx(this DetectionCatalog catalog, string onnxPath, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return DetectionScoringChain.CreateEstimator(catalog.Context, onnxPath, options);
    }
}
