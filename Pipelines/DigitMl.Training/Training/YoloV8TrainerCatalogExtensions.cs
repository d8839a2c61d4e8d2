using DigitMl.Scoring;
using Microsoft.ML;

namespace DigitMl.Training;

/// <summary><c>mlContext.Detection().Trainers.YoloV8(...)</c>.</summary>
public static class YoloV8TrainerCatalogExtensions
{
    /// <summary>
    /// A YOLOv8 trainer whose Fit returns the ONNX scoring chain. <paramref name="validationData"/> (same columns as
    /// the training data) is used for per-epoch validation and best-checkpoint selection.
    /// </summary>
    public static YoloV8Trainer YoloV8(this DetectionCatalog.DetectionTrainers trainers, YoloV8TrainerOptions options,
        IDataView? validationData = null, ScoringOptions? scoring = null, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(trainers);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        return new YoloV8Trainer(trainers.Context, options, validationData, scoring, progress);
    }
}
