using System.Security.Cryptography;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Definitions;
using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Scoring;
using DigitMl.Training;

namespace DigitMl.Experiments.Sweeps;

/// <summary>
/// The real trial: YOLOv8 training (TorchSharp) into the version folder, evaluation of best.ckpt on the
/// validation split (metrics.json + plots), ONNX export and the ML.NET scoring pipeline (model.zip).
/// </summary>
/// <param name="coreShareDirectory">where training jobs split the machine's cores between them
/// (<see cref="YoloV8TrainerOptions.CoreShareDirectory"/>); null: this job takes every core.</param>
public sealed class YoloTrialExecutor(string? coreShareDirectory = null) : ITrialExecutor
{
    /// <summary>How many validation images val_predictions.png shows.</summary>
    private const int PredictionGridImages = 16;

    public PreparedDataset Prepare(string dataYamlPath, bool skipInvalid)
    {
        var dataset = YoloDataset.Load(dataYamlPath, new YoloDatasetOptions { SkipInvalid = skipInvalid });
        foreach (var required in new[] { "train", "val" })
            if (!dataset.HasSplit(required))
                throw new InvalidDataException($"{dataset.YamlPath}: the dataset has no '{required}' split, which a sweep needs");
        var splits = new[] { "train", "val", "test" }.Where(dataset.HasSplit).Select(s => (s, dataset.Split(s))).ToList();
        var fingerprint = DataFingerprint.Compute(dataset.Root, splits);
        var description = new DatasetDescription(
            dataset.YamlPath,
            fingerprint,
            dataset.Names,
            dataset.Split("train").Count,
            dataset.Split("val").Count,
            dataset.HasSplit("test") ? dataset.Split("test").Count : 0)
        {
            Skipped = SkippedData.Of(dataset),
        };
        return new PreparedDataset(description, dataset.HasSplit("test"), dataset);
    }

    public TrialRunResult Run(TrialRequest request, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        var dataset = Dataset(request.Data);
        var settings = request.Settings;
        var names = dataset.Names;
        var train = Rotate(Take(dataset.Split("train"), settings.TrainImages), settings, names);
        var val = Take(dataset.Split("val"), settings.ValImages);
        var options = TrainerOptions(settings, request) with { CoreShareDirectory = coreShareDirectory };

        int epochsDone = 0;
        var epochRates = new List<double>();
        var trainerProgress = new InlineProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.EpochCompleted)
            {
                epochsDone = p.Epoch;
                epochRates.Add(p.ImagesPerSecond);
            }
            progress.Report(Translate(p));
        });
        using var training = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.FinishEarly);
        TrainingResult? result = null;
        try
        {
            result = TrainingLoop.Run(options, train, val, names, trainerProgress, training.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && request.FinishEarly.IsCancellationRequested && epochsDone > 0)
        {
            // out of time: the checkpoints of the finished epochs are complete; evaluate and ship them
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (result?.History.FirstOrDefault(e => !float.IsFinite(e.TrainBoxLoss) || !float.IsFinite(e.TrainClsLoss) || !float.IsFinite(e.TrainDflLoss)) is { } bad)
            throw new TrialFailedException($"NaN loss at epoch {bad.Epoch}");
        var bestCheckpoint = result?.BestCheckpoint ?? Path.Combine(request.Directory, TrainingFiles.BestCheckpoint);
        if (!File.Exists(bestCheckpoint))
            throw new TrialFailedException($"training ended without a checkpoint ({bestCheckpoint} missing)");
        int epochsRun = result?.EpochsRun ?? epochsDone;

        progress.Report(new TrialProgress(TrialProgressKind.Phase, epochsRun, settings.Trainer.Epochs, Phase: "evaluating best.ckpt on val"));
        var (model, _) = Checkpoint.Load(bestCheckpoint);
        DetectionMetrics metrics;
        using (model)
        {
            var predictions = TrainingPredictor.Predict(model, val, settings.Trainer.ImageSize, options.ValConf, options.ValIoU, options.MaxDetections, names);
            metrics = DetectionEvaluator.Evaluate(val.Select(s => s.Objects).ToList(), predictions, names);
            metrics.Save(Path.Combine(request.Directory, MetricsFile.FileName));
            cancellationToken.ThrowIfCancellationRequested();

            progress.Report(new TrialProgress(TrialProgressKind.Phase, epochsRun, settings.Trainer.Epochs, Phase: "writing plots"));
            int shown = Math.Min(PredictionGridImages, val.Count);
            EvaluationPlots.WriteAll(metrics, Path.Combine(request.Directory, "plots"), val.Take(shown).ToList(), predictions.Take(shown).ToList(),
                Path.Combine(request.Directory, "results.csv"));

            progress.Report(new TrialProgress(TrialProgressKind.Phase, epochsRun, settings.Trainer.Epochs, Phase: "exporting model.onnx and model.zip"));
            OnnxExporter.Export(model, Path.Combine(request.Directory, ModelPackage.OnnxFileName),
                new OnnxExportMetadata(names, settings.Trainer.ImageSize, ConfigHash: ConfigHash(request.Directory)));
        }

        ModelPackage.WriteZip(Path.Combine(request.Directory, ModelPackage.OnnxFileName), Path.Combine(request.Directory, ModelPackage.ZipFileName));
        var summary = new MetricSummary(metrics.Map50, metrics.Map50To95, metrics.Precision, metrics.Recall, metrics.F1, metrics.Images, metrics.Instances);
        // a trial stopped by the time budget has no TrainingResult: its rate is the mean of its finished epochs
        double imagesPerSecond = result?.ImagesPerSecond ?? (epochRates.Count > 0 ? epochRates.Average() : 0);
        return new TrialRunResult(summary, epochsRun, result?.Best.Epoch, imagesPerSecond);
    }

    /// <summary>The winner's test split turned by these angles too, tabled per rotation (files below, in its version folder).</summary>
    public static readonly int[] TestRotations = [90, 180, 270];

    public const string TestRotationsMarkdown = "test_rotations.md";

    public const string TestRotationsJson = "test_rotations.json";

    public string EvaluateTest(PreparedDataset data, string versionDirectory, CancellationToken cancellationToken)
    {
        var dataset = Dataset(data);
        var test = dataset.Split("test");
        var (model, info) = Checkpoint.Load(Path.Combine(versionDirectory, "best.ckpt"));
        using (model)
        {
            var defaults = new YoloV8TrainerOptions();
            IReadOnlyList<IReadOnlyList<Detection>> Predict(IReadOnlyList<YoloSample> samples) =>
                TrainingPredictor.Predict(model, samples, info.ImageSize, defaults.ValConf, defaults.ValIoU, defaults.MaxDetections, dataset.Names);
            var predictions = Predict(test);
            cancellationToken.ThrowIfCancellationRequested();

            // the same test images turned by 90, 180 and 270 degrees (boxes turned exactly, classes kept): the
            // per-rotation table of the winner, with 6 and 9 apart (one turned digit alone cannot tell them apart)
            var perRotation = new Dictionary<int, (IReadOnlyList<IReadOnlyList<LabeledBox>>, IReadOnlyList<IReadOnlyList<Detection>>)>
            {
                [0] = (test.Select(s => s.Objects).ToList(), predictions),
            };
            foreach (int angle in TestRotations)
            {
                var turned = test.Select(s => RotationAugmenter.Rotate(s, angle)).ToList();
                perRotation[angle] = (turned.Select(s => s.Objects).ToList(), Predict(turned));
                cancellationToken.ThrowIfCancellationRequested();
            }

            var rotations = OrientationReport.Evaluate(perRotation, dataset.Names);
            File.WriteAllText(Path.Combine(versionDirectory, TestRotationsMarkdown), rotations.ToMarkdown());
            File.WriteAllText(Path.Combine(versionDirectory, TestRotationsJson), rotations.ToJson());
            // the winner's test figures in both definitions: Ultralytics' keys and COCO's under "coco"
            return DetectionEvaluator.Evaluate(test.Select(s => s.Objects).ToList(), predictions, dataset.Names, new EvaluationOptions { IncludeCoco = true }).ToJson();
        }
    }

    /// <summary>The trainer's options for a trial: its settings, with the resolved initial weights, into the version's temporary folder.</summary>
    public static YoloV8TrainerOptions TrainerOptions(TrialSettings s, TrialRequest request) => s.Trainer with
    {
        Init = request.InitWeights,
        OutputDirectory = request.Directory,
        Resume = request.Resume,
    };

    private static YoloDataset Dataset(PreparedDataset data) =>
        data.Handle as YoloDataset ?? throw new InvalidOperationException("the dataset was not prepared by YoloTrialExecutor");

    private static IReadOnlyList<YoloSample> Take(IReadOnlyList<YoloSample> samples, int? count) =>
        count is { } n && n < samples.Count ? samples.Take(n).ToList() : samples;

    private static IReadOnlyList<YoloSample> Rotate(IReadOnlyList<YoloSample> train, TrialSettings settings, IReadOnlyList<string> names)
    {
        if (settings.RotateAngles.Count == 0) return train;
        var options = RotationOptions.Parse(string.Join(',', settings.RotateAngles), settings.RotatePolicy,
            relabel: settings.RotatePolicy == "relabel" ? "6:9,9:6" : null);
        return RotationAugmenter.Expand(train, options, names).Samples;
    }

    private static TrialProgress Translate(TrainingProgress p) => p.Phase switch
    {
        TrainingPhase.Training => new TrialProgress(TrialProgressKind.Batch, p.Epoch, p.Epochs, p.Batch, p.Batches, p.BoxLoss, p.ClsLoss, p.DflLoss, p.ImagesPerSecond),
        TrainingPhase.EpochCompleted when p.Validation is { } v =>
            new TrialProgress(TrialProgressKind.Epoch, p.Epoch, p.Epochs, p.Batch, p.Batches, v.TrainBoxLoss, v.TrainClsLoss, v.TrainDflLoss, v.ImagesPerSecond,
                v.Fitness, v.Map50, v.Map50To95),
        TrainingPhase.EpochCompleted => new TrialProgress(TrialProgressKind.Epoch, p.Epoch, p.Epochs, p.Batch, p.Batches, p.BoxLoss, p.ClsLoss, p.DflLoss, p.ImagesPerSecond),
        TrainingPhase.Note => new TrialProgress(TrialProgressKind.Phase, p.Epoch, p.Epochs, p.Batch, p.Batches, Phase: p.Note),
        _ => new TrialProgress(TrialProgressKind.Validating, p.Epoch, p.Epochs, p.Batch, p.Batches, Phase: $"epoch {p.Epoch}/{p.Epochs}: validating"),
    };

    private static string? ConfigHash(string directory)
    {
        var config = Path.Combine(directory, TrialConfig.FileName);
        return File.Exists(config) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(config)))[..16] : null;
    }
}
