using System.ComponentModel;
using System.Globalization;
using DigitMl.Experiments.Display;
using DigitMl.Export;
using DigitMl.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`predict`: detects digits in an image or a folder; writes annotated images, label txt files and optionally JSON.</summary>
public sealed class PredictCommand(IAnsiConsole console) : Command<PredictCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <PATH>")]
        [Description("Artifact folder, model.zip, model.onnx or a .ckpt checkpoint.")]
        public string? Model { get; init; }

        [CommandOption("--source <PATH>")]
        [Description("An image file or a folder of images.")]
        public string? Source { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Output folder: annotated <stem>.png and labels/<stem>.txt (class cx cy w h conf, normalised).")]
        public string? Out { get; init; }

        [CommandOption("--conf <P>")]
        [Description("Confidence threshold (default 0.25).")]
        public float Confidence { get; init; } = 0.25f;

        [CommandOption("--iou <P>")]
        [Description("NMS IoU threshold (default 0.7).")]
        public float IoU { get; init; } = 0.7f;

        [CommandOption("--max-det <N>")]
        [Description("Most detections per image (default 300).")]
        public int MaxDetections { get; init; } = 300;

        [CommandOption("--json <FILE>")]
        [Description("Also write all detections as JSON.")]
        public string? Json { get; init; }

        [CommandOption("--batch <N>")]
        [Description("Images per inference batch (default 16).")]
        public int Batch { get; init; } = 16;

        [CommandOption("--no-images")]
        [Description("Do not write annotated images.")]
        public bool NoImages { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model is required");
            if (string.IsNullOrWhiteSpace(Source)) return ValidationResult.Error("--source is required");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required");
            if (Confidence is < 0 or >= 1) return ValidationResult.Error("--conf must be in [0, 1)");
            if (IoU is <= 0 or > 1) return ValidationResult.Error("--iou must be in (0, 1]");
            if (Batch <= 0) return ValidationResult.Error("--batch must be positive");
            return MaxDetections <= 0 ? ValidationResult.Error("--max-det must be positive") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new PredictionRunOptions(Path.GetFullPath(settings.Model!), Path.GetFullPath(settings.Source!), Path.GetFullPath(settings.Out!))
        {
            Scoring = new ScoringOptions { Confidence = settings.Confidence, IoU = settings.IoU, MaxDetections = settings.MaxDetections },
            BatchSize = settings.Batch,
            JsonPath = settings.Json is null ? null : Path.GetFullPath(settings.Json),
            SaveImages = !settings.NoImages,
            ExportCheckpoint = ModelPackage.ToTemporaryOnnx,
        };

        var summary = CountedProgress.Run(console, "predicting", (PredictionProgress p) => (p.Done, p.Total),
            progress => PredictionRunner.Run(options, progress, cancellationToken),
            p => string.Create(CultureInfo.InvariantCulture, $"predicting ({p.ImagesPerSecond:F1} images/s)"));
        foreach (string failure in summary.Failures)
            Console.Error.WriteLine($"skipped: {failure}");
        console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{summary.Images} images, {summary.Detections} detections in {summary.Seconds:F1} s ({summary.ImagesPerSecond:F1} images/s): {options.OutputDirectory}"));
        return summary.Failures.Count == 0 ? 0 : 1;
    }
}
