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

        [CommandOption("--inference <MODE>")]
        [Description("auto (default: images up to 2x the training size letterboxed, larger ones at their own scale), letterbox, native or tiles.")]
        public string Inference { get; init; } = "auto";

        [CommandOption("--tile-size <PX>")]
        [Description("Tile side for tiled inference, a multiple of 32 (default: the model's fixed input, else its training size).")]
        public int? TileSize { get; init; }

        [CommandOption("--overlap <F>")]
        [Description("Share of a tile overlapping its neighbour, 0..0.75 (default 0.25).")]
        public float Overlap { get; init; } = InferenceSettings.DefaultTileOverlap;

        [CommandOption("--native-budget <PIXELS>")]
        [Description("Most input pixels of native-size inference; larger images are scaled down to it (default 2560000 = 1600x1600).")]
        public long NativeBudget { get; init; } = InferenceSettings.DefaultMaxPixels;

        [CommandOption("--orientation <MODE>")]
        [Description("Page turn by a vote of all digits: auto (default: on for turn-aware models), on or off.")]
        public string Orientation { get; init; } = "auto";

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model)) return ValidationResult.Error("--model is required");
            if (string.IsNullOrWhiteSpace(Source)) return ValidationResult.Error("--source is required");
            if (string.IsNullOrWhiteSpace(Out)) return ValidationResult.Error("--out is required");
            if (Confidence is < 0 or >= 1) return ValidationResult.Error("--conf must be in [0, 1)");
            if (IoU is <= 0 or > 1) return ValidationResult.Error("--iou must be in (0, 1]");
            if (Batch <= 0) return ValidationResult.Error("--batch must be positive");
            if (MaxDetections <= 0) return ValidationResult.Error("--max-det must be positive");
            try
            {
                ToScoringOptions(this).Validate();
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                return ValidationResult.Error(e.Message.Split('\n')[0].Replace(" (Parameter", " (option", StringComparison.Ordinal));
            }

            return ValidationResult.Success();
        }
    }

    /// <summary>The scoring options the inference flags describe (shared with evaluate's --inference).</summary>
    public static ScoringOptions ToScoringOptions(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ScoringOptions
        {
            Confidence = settings.Confidence,
            IoU = settings.IoU,
            MaxDetections = settings.MaxDetections,
            Inference = InferenceSettings.ParseMode(settings.Inference),
            TileSize = settings.TileSize,
            TileOverlap = settings.Overlap,
            MaxInferencePixels = settings.NativeBudget,
            PageOrientation = ParseOrientation(settings.Orientation),
        };
    }

    public static PageOrientationMode ParseOrientation(string text) =>
        Enum.TryParse<PageOrientationMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _)
            ? mode
            : throw new FormatException($"unknown --orientation '{text}' (expected auto, on or off)");

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new PredictionRunOptions(Path.GetFullPath(settings.Model!), Path.GetFullPath(settings.Source!), Path.GetFullPath(settings.Out!))
        {
            Scoring = ToScoringOptions(settings),
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
        if (summary.PageTurns.Count > 0)
            console.Profile.Out.Writer.WriteLine("page turns (turn-aware model): " + string.Join(", ", summary.PageTurns.OrderBy(p => p.Key).Select(p => $"{p.Key} degrees: {p.Value}")));
        return summary.Failures.Count == 0 ? 0 : 1;
    }
}
