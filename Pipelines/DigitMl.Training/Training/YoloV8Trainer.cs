using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Export;
using DigitMl.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Training;

/// <summary>
/// The ML.NET trainer for YOLOv8 detectors: immutable options, and <see cref="Fit(IDataView)"/> trains. It reads the
/// training rows (columns named by <see cref="YoloV8TrainerOptions.Columns"/>: ImagePath, Labels, Boxes, optional
/// Width/Height/Rotation), trains with <see cref="TrainingLoop"/> into <c>Options.OutputDirectory</c>, exports the best
/// checkpoint to <c>model.onnx</c> there and returns the scoring chain (<see cref="DetectionScoringChain"/>), an
/// ordinary ITransformer that adds PredictedLabels, PredictedBoxes and Scores. Rows expanded by rotation with
/// turn-aware classes (labels "7@90", ...: <see cref="TurnClasses"/>) make it train with 4 orientations.
/// Created by <c>mlContext.Detection().Trainers.YoloV8(options)</c>.
/// </summary>
public sealed class YoloV8Trainer : IEstimator<ITransformer>
{
    private readonly MLContext _mlContext;

    internal YoloV8Trainer(MLContext mlContext, YoloV8TrainerOptions options, IDataView? validationData, ScoringOptions? scoring, IProgress<TrainingProgress>? progress)
    {
        _mlContext = mlContext;
        Options = options;
        ValidationData = validationData;
        Scoring = scoring ?? new ScoringOptions();
        Progress = progress;
    }

    public YoloV8TrainerOptions Options { get; }

    /// <summary>Validation rows (same columns as the training data); without them no validation runs and best = last.</summary>
    public IDataView? ValidationData { get; }

    public ScoringOptions Scoring { get; }

    public IProgress<TrainingProgress>? Progress { get; }

    /// <summary>Outcome of the last <see cref="Fit(IDataView)"/> (checkpoints, metrics history).</summary>
    public TrainingResult? LastResult { get; private set; }

    public ITransformer Fit(IDataView input) => Fit(input, ValidationData, CancellationToken.None);

    /// <summary>Trains on <paramref name="trainData"/>, validating each epoch on <paramref name="validationData"/> (as ML.NET's trainers that take one).</summary>
    public ITransformer Fit(IDataView trainData, IDataView? validationData) => Fit(trainData, validationData, CancellationToken.None);

    public ITransformer Fit(IDataView trainData, IDataView? validationData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var columns = Options.Columns;
        var labelNames = Scoring.Names ?? DetectionRowReader.ClassNames(trainData, columns);
        if (labelNames.Count == 0)
            throw new ArgumentException("no class names: the Labels column has no annotation and no labels");
        bool turnAware = TurnClasses.TryGetPlainNames(labelNames, out var names);
        var train = DetectionRowReader.Read(trainData, labelNames, columns);
        var val = validationData is null ? [] : DetectionRowReader.Read(validationData, names, columns);
        var options = Options with
        {
            Validate = validationData is not null && Options.Validate,
            Orientations = turnAware ? TurnClasses.Orientations : Options.Orientations,
        };

        var result = TrainingLoop.Run(options, train, val, names, Progress, cancellationToken);
        LastResult = result;

        string onnxPath = Path.Combine(options.OutputDirectory, ModelFiles.OnnxFileName);
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
        DetectionScoringChain.OutputSchemaWithoutModel(_mlContext, inputSchema, Options.ImageSize);
}
