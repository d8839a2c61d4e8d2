using System.ComponentModel;
using System.Globalization;
using DigitMl.Experiments.Cli;
using DigitMl.Pipelines.Data;
using DigitMl.Pipelines.Evaluation;
using DigitMl.Pipelines.Scoring;
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

        [CommandOption("--conf <X>")]
        [Description("With --model: confidence threshold for detections (default 0.001, as validation).")]
        public float Confidence { get; init; } = 0.001f;

        [CommandOption("--iou <X>")]
        [Description("With --model: NMS IoU threshold (default 0.7, as validation).")]
        public float Iou { get; init; } = 0.7f;

        public override ValidationResult Validate()
        {
            if ((Model is null) == (Predictions is null))
                return ValidationResult.Error("give exactly one of --model PATH or --predictions DIR");
            if (Confidence is < 0 or > 1) return ValidationResult.Error("--conf must be within 0..1");
            if (Iou is <= 0 or > 1) return ValidationResult.Error("--iou must be within (0, 1]");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var dataYaml = settings.Data is null ? RepositoryLayout.DefaultDataYaml : Path.GetFullPath(settings.Data);
        if (!File.Exists(dataYaml))
        {
            string hint = settings.Data is null ? " (generate the default dataset with the `data` command, or give --data)" : "";
            throw new FileNotFoundException($"data.yaml not found: {dataYaml}{hint}", dataYaml);
        }
        var dataset = YoloDataset.Load(dataYaml, new YoloDatasetOptions { Splits = [settings.Split] });
        if (!dataset.HasSplit(settings.Split))
            throw new InvalidOperationException($"{dataYaml} has no split '{settings.Split}' (splits: {string.Join(", ", dataset.SplitNames)})");
        var samples = dataset.Split(settings.Split);
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
        }
        cancellationToken.ThrowIfCancellationRequested();

        var metrics = DetectionEvaluator.Evaluate(samples.Select(s => s.Objects).ToArray(), predictions, dataset.Names);
        AnsiConsole.Write(BuildTable(metrics, $"{Path.GetFileName(Path.GetDirectoryName(dataYaml))} / {settings.Split}"));
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"fitness {metrics.Fitness:0.0000}, best-F1 confidence {metrics.ConfAtBestF1:0.000}, {metrics.Predictions} detections")));

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
        return 0;
    }

    /// <summary>
    /// The detector behind --model: a function from images to their detections (original pixels, any order).
    /// Wiring point for the ONNX scoring chain (DigitDetector); until it is merged, --model is refused clearly.
    /// </summary>
    public static Func<IReadOnlyList<YoloSample>, IReadOnlyList<IReadOnlyList<Detection>>> CreateModelPredictor(string modelPath, Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        throw new InvalidOperationException(
            $"evaluate --model needs the ONNX scoring chain, which is not wired into this build yet ({modelPath}); " +
            "save the model's predictions with `predict --out DIR` and use `evaluate --predictions DIR`");
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
