using System.ComponentModel;
using System.Globalization;
using DigitMl.Experiments.Artifacts;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Display;
using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Export;
using DigitMl.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>
/// `evaluate`: scores a model, or a folder of prediction txt files from any detector, on a dataset split;
/// prints the per-class table, writes metrics.json and the plots.
/// </summary>
public sealed class EvaluateCommand : Command<EvaluateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <PATH>")]
        [Description("Model to score: an artifact folder, its model.zip, or a model.onnx.")]
        public string? Model { get; init; }

        [CommandOption("--predictions <DIR>")]
        [Description("Folder of YOLO txt predictions (`class cx cy w h conf`, normalised, one file per image stem; no file = no detections).")]
        public string? Predictions { get; init; }

        // robustness suite (issue #12): `evaluate --suite robustness --model PATH`, see Experiments/Suites
        [CommandOption("--suite <NAME>")]
        [Description("Score --model on a generated test suite instead of one split: robustness (one set per condition, cached under datasets/robustness).")]
        public string? Suite { get; init; }

        [CommandOption("--conditions <LIST>")]
        [Description("With --suite: only these sets, comma-separated (e.g. clean,jpeg,sheets).")]
        public string? Conditions { get; init; }

        [CommandOption("--suite-images <N>")]
        [Description("With --suite: images per set instead of the defaults (150 per condition, 16 sheets), for a quick look.")]
        public int? SuiteImages { get; init; }

        [CommandOption("--suite-dir <DIR>")]
        [Description("With --suite: where the generated sets are cached (default datasets/robustness).")]
        public string? SuiteDir { get; init; }

        [CommandOption("--data <YAML>")]
        [Description("Dataset data.yaml (default: datasets/digit-scenes/data.yaml).")]
        public string? Data { get; init; }

        [CommandOption("--split <NAME>")]
        [Description("Split to evaluate: train, val, test or another key of data.yaml (default test).")]
        public string Split { get; init; } = "test";

        [CommandOption("--json <FILE>")]
        [Description("Write metrics.json here.")]
        public string? Json { get; init; }

        [CommandOption("--plots <DIR>")]
        [Description("Write PR/F1/P/R curves, confusion matrices and val_predictions.png into this folder.")]
        public string? Plots { get; init; }

        [CommandOption("--metrics <KIND>")]
        [Description("Definitions to report: ultralytics (the reference validator's table), coco (pycocotools' map, map_50, map_75, map_small/medium/large, mar_1/10/100, mar_small/medium/large, per class) or both (default). metrics.json always has the Ultralytics keys; coco and both add a 'coco' object.")]
        public string Metrics { get; init; } = "both";

        [CommandOption("--conf <X>")]
        [Description("With --model: confidence threshold for detections (default 0.001, as validation).")]
        public float Confidence { get; init; } = 0.001f;

        [CommandOption("--skip-invalid")]
        [Description(SkipInvalidHint.Description)]
        public bool SkipInvalid { get; init; }

        [CommandOption("--iou <X>")]
        [Description("With --model: NMS IoU threshold (default 0.7, as validation).")]
        public float Iou { get; init; } = 0.7f;

        [CommandOption("--inference <MODE>")]
        [Description("With --model: auto (default: images up to 2x the training size letterboxed, larger ones at their own scale), letterbox, native or tiles.")]
        public string Inference { get; init; } = "auto";

        public override ValidationResult Validate()
        {
            if (Suite is not null && Suites.SuiteCommand.Validate(this) is { Successful: false } refusal) return refusal;
            if ((Model is null) == (Predictions is null))
                return ValidationResult.Error("give exactly one of --model PATH or --predictions DIR");
            if (Confidence is < 0 or > 1) return ValidationResult.Error("--conf must be within 0..1");
            if (Iou is <= 0 or > 1) return ValidationResult.Error("--iou must be within (0, 1]");
            if (Metrics is not ("ultralytics" or "coco" or "both")) return ValidationResult.Error($"--metrics must be ultralytics, coco or both, not '{Metrics}'");
            if (!Enum.TryParse<InferenceMode>(Inference, ignoreCase: true, out _) || int.TryParse(Inference, out _))
                return ValidationResult.Error($"unknown --inference '{Inference}' (expected auto, letterbox, native or tiles)");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Suite is not null) return Suites.SuiteCommand.Run(settings, CreateModelPredictor(settings.Model!, settings), cancellationToken);
        var dataYaml = settings.Data is null ? RepositoryLayout.DefaultDataYaml : Path.GetFullPath(settings.Data);
        if (!File.Exists(dataYaml))
        {
            string hint = settings.Data is null ? " (generate the default dataset with the `data` command, or give --data)" : "";
            throw new FileNotFoundException($"data.yaml not found: {dataYaml}{hint}", dataYaml);
        }
        var dataset = SkipInvalidHint.Run(() => YoloDataset.Load(dataYaml, new YoloDatasetOptions { Splits = [settings.Split], SkipInvalid = settings.SkipInvalid }));
        if (!dataset.HasSplit(settings.Split))
            throw new InvalidOperationException($"{dataYaml} has no split '{settings.Split}' (splits: {string.Join(", ", dataset.SplitNames)})");
        var samples = dataset.Split(settings.Split);
        if (SkippedData.Of(dataset) is { } skipped) Console.Error.WriteLine($"warning: {skipped.Describe()}");
        cancellationToken.ThrowIfCancellationRequested();

        IReadOnlyList<IReadOnlyList<Detection>> predictions;
        if (settings.Predictions is { } predictionDir)
        {
            predictions = PredictionFiles.Read(predictionDir, samples, dataset.Names);
            int found = samples.Count(s => File.Exists(PredictionFiles.PathFor(predictionDir, s)));
            if (found == 0 && samples.Count > 0)
                Console.Error.WriteLine($"warning: no prediction file in {predictionDir} matches an image of split '{settings.Split}' (expected e.g. {Path.GetFileName(PredictionFiles.PathFor(predictionDir, samples[0]))}); every image counts as 'nothing detected'");
        }
        else
        {
            var predictor = CreateModelPredictor(settings.Model!, settings);
            predictions = predictor(samples);
            if (EvaluateRotations(dataset, settings.Split, predictor) is { } orientation)
            {
                AnsiConsole.WriteLine($"by page rotation ({settings.Split}_rot* splits):");
                AnsiConsole.WriteLine(orientation.ToMarkdown());
                if (settings.Json is { } metricsJson)
                {
                    string path = Path.ChangeExtension(metricsJson, null) + ".rotations.json";
                    File.WriteAllText(path, orientation.ToJson());
                    AnsiConsole.MarkupLine($"rotation metrics: {Markup.Escape(Path.GetFullPath(path))}");
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        var metrics = DetectionEvaluator.Evaluate(samples.Select(s => s.Objects).ToArray(), predictions, dataset.Names,
            new EvaluationOptions { IncludeCoco = settings.Metrics != "ultralytics" });
        string title = $"{Path.GetFileName(Path.GetDirectoryName(dataYaml))} / {settings.Split}";
        if (settings.Metrics != "coco")
        {
            AnsiConsole.Write(BuildTable(metrics, title));
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"fitness {metrics.Fitness:0.0000}, best-F1 confidence {metrics.ConfAtBestF1:0.000}, {metrics.Predictions} detections")));
        }
        if (metrics.Coco is { } coco) CocoSummary.Write(AnsiConsole.Console, coco, title);

        if (settings.Json is { } json)
        {
            metrics.Save(json);
            AnsiConsole.MarkupLine($"metrics: {Markup.Escape(Path.GetFullPath(json))}");
        }
        if (settings.Plots is { } plots)
        {
            EvaluationPlots.WriteAll(metrics, plots, samples, predictions);
            AnsiConsole.MarkupLine($"plots: {Markup.Escape(Path.GetFullPath(plots))}");
        }
        if (SkippedData.Of(dataset) is { } left) Console.WriteLine($"data: {left.Describe()}; the metrics cover the {samples.Count} images kept");
        return 0;
    }

    /// <summary>
    /// The detector behind --model: ONNX Runtime in batches with validation's post-processing (multi-label, --conf,
    /// --iou, --inference), on the model.onnx of an artifact (a checkpoint is exported first; a lone model.zip is scored
    /// through its ML.NET chain, which runs the same DetectionEngine with the same options).
    /// </summary>
    public static Func<IReadOnlyList<YoloSample>, IReadOnlyList<IReadOnlyList<Detection>>> CreateModelPredictor(string modelPath, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var scoring = new ScoringOptions { Confidence = settings.Confidence, IoU = settings.Iou, MultiLabel = true, Inference = InferenceSettings.ParseMode(settings.Inference) };
        string modelFile = ModelFiles.Resolve(modelPath, ModelPackage.ToTemporaryOnnx);
        if (ModelFiles.ResolveOnnx(modelFile) is not { } onnx)
        {
            return samples =>
            {
                using var detector = DigitDetector.Load(modelFile, scoring);
                return samples.Select(s => detector.Detect(s.ImagePath)).ToList();
            };
        }
        return samples =>
        {
            using var detector = OnnxBatchDetector.Load(onnx, scoring);
            var results = new List<IReadOnlyList<Detection>>(samples.Count);
            for (int start = 0; start < samples.Count; start += 16)
            {
                var batch = samples.Skip(start).Take(16).ToArray();
                var images = new RgbImage[batch.Length];
                Parallel.For(0, batch.Length, i => images[i] = SampleImages.Load(batch[i]));
                results.AddRange(detector.Detect(images));
            }
            return results;
        };
    }

    /// <summary>With --model on a split that has turned copies (`data --rotations`): metrics per page rotation.</summary>
    private static OrientationReport? EvaluateRotations(YoloDataset dataset, string split, Func<IReadOnlyList<YoloSample>, IReadOnlyList<IReadOnlyList<Detection>>> predictor)
    {
        var rotated = RotatedSplits.Find(dataset, split);
        if (rotated.Count == 0) return null;
        var perRotation = rotated.ToDictionary(
            p => p.Key,
            p =>
            {
                var samples = dataset.Split(p.Value);
                return ((IReadOnlyList<IReadOnlyList<LabeledBox>>)samples.Select(s => s.Objects).ToList(), predictor(samples));
            });
        return OrientationReport.Evaluate(perRotation, dataset.Names);
    }

    /// <summary>The reference's validation summary: an "all" row, then one row per class with instances.</summary>
    public static Table BuildTable(DetectionMetrics metrics, string? title = null)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null) table.Title(Markup.Escape(title));
        table.AddColumn("Class");
        foreach (var name in new[] { "Images", "Instances", "P", "R", "mAP50", "mAP50-95" })
            table.AddColumn(new TableColumn(name).RightAligned());
        table.AddRow(Row("all", metrics.Images, metrics.Instances, metrics.Precision, metrics.Recall, metrics.Map50, metrics.Map50To95, bold: true));
        foreach (var c in metrics.PerClass)
            table.AddRow(Row(c.Name, c.Images, c.Instances, c.Precision, c.Recall, c.Ap50, c.Ap50To95, bold: false));
        return table;
    }

    private static string[] Row(string name, int images, int instances, double p, double r, double map50, double map, bool bold)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        var cells = new[] { Markup.Escape(name), images.ToString(CultureInfo.InvariantCulture), instances.ToString(CultureInfo.InvariantCulture), F(p), F(r), F(map50), F(map) };
        return bold ? cells.Select(c => $"[bold]{c}[/]").ToArray() : cells;
    }
}
