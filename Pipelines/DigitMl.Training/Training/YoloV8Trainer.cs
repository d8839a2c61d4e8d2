using DigitMl.Scoring;
using DigitMl.Export;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Training;

/// <summary>
/// ML.NET trainer for YOLOv8 detectors. <see cref="Fit"/> reads the input IDataView (ImagePath, Labels, Boxes,
/// optional Width/Height/Rotation), trains with <see cref="TrainingLoop"/> into <c>TrainerOptions.OutputDirectory</c>,
/// exports the best checkpoint to <c>model.onnx</c> there and returns the ONNX scoring chain
/// (<see cref="DetectionScoringChain"/>), which adds PredictedLabels, PredictedBoxes and Scores.
/// Created by <c>mlContext.Detection().Trainers.YoloV8(options)</c>.
/// </summary>
public sealed class YoloV8Trainer : IEstimator<ITransformer>
{
    public const string OnnxFileName = "model.onnx";

    private readonly MLContext _mlContext;

    internal YoloV8Trainer(MLContext mlContext, YoloV8TrainerOptions options, IDataView? validationData, ScoringOptions? scoring, IProgress<TrainingProgress>? progress)
    {
        _mlContext = mlContext;
        TrainerOptions = options;
        ValidationData = validationData;
        Scoring = scoring ?? new ScoringOptions();
        Progress = progress;
    }

    public YoloV8TrainerOptions TrainerOptions { get; }

    /// <summary>Validation rows (same columns as the training data); without them no validation runs and best = last.</summary>
    public IDataView? ValidationData { get; }

    public ScoringOptions Scoring { get; }

    public IProgress<TrainingProgress>? Progress { get; }

    /// <summary>Outcome of the last <see cref="Fit"/> (checkpoints, metrics history).</summary>
    public TrainingResult? LastResult { get; private set; }

    public ITransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    public ITransformer Fit(IDataView input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var names = Scoring.Names ?? DetectionRowReader.ClassNames(input);
        if (names.Count == 0)
            throw new ArgumentException("no class names: the Labels column has no annotation and no labels");
        var train = DetectionRowReader.Read(input, names);
        var val = ValidationData is null ? [] : DetectionRowReader.Read(ValidationData, names);
        var options = ValidationData is null ? TrainerOptions with { Validate = false } : TrainerOptions;

        var result = TrainingLoop.Run(options, train, val, names, Progress, cancellationToken);
        LastResult = result;

        string onnxPath = Path.Combine(options.OutputDirectory, OnnxFileName);
        var (model, info) = Checkpoint.Load(result.BestCheckpoint);
        using (model)
        {
            model.eval();
            OnnxExporter.Export(model, onnxPath, new OnnxExportMetadata(info.Names, info.ImageSize));
        }

        // ONNX Runtime's pool sized like the trainer's: the threads setting, else the cores this process may use
        int threads = Scoring.IntraOpThreads ?? (options.Threads > 0 ? options.Threads : Native.CpuBudget.AvailableCores);
        return DetectionScoringChain.Create(_mlContext, onnxPath, Scoring with { Names = info.Names, ImageSize = info.ImageSize, IntraOpThreads = threads });
    }

    /// <summary>Input schema plus the chain's columns (PredictedLabels, PredictedBoxes, Scores and its intermediates).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        DetectionScoringChain.OutputSchemaWithoutModel(_mlContext, inputSchema, TrainerOptions.ImageSize);
}
