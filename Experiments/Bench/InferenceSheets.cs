using System.Text.Json.Serialization;
using DigitMl.Data;
using DigitMl.Data.Mnist;
using DigitMl.Data.Scenes;
using DigitMl.Experiments.Cli;
using DigitMl.Scoring;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Whole sheets (1280 x 960 generated pages with 20-70 px MNIST digits): ms per sheet, images/s and ms per megapixel
/// in each inference mode, against letterboxing the same sheet to the training size, timed interleaved. The default
/// mode (auto) is timed from the PNG file through DigitDetector as a service would call it.
/// </summary>
public static class InferenceSheets
{
    public const int Width = 1280, Height = 960;

    public static SheetFigures Measure(string onnx, BenchSettings settings, string workDir)
    {
        var options = new SceneOptions
        {
            Train = 0, Val = 0, Test = 1, Seed = 7, Width = Width, Height = Height,
            MinDigitHeight = 20, MaxDigitHeight = 70, MaxDigits = 40, EmptyFraction = 0,
        };
        string yaml = SceneGenerator.Generate(MnistDigits.Load(RepositoryLayout.MnistDir), Path.Combine(workDir, "sheets"), options);
        var sample = YoloDataset.Load(yaml, new YoloDatasetOptions { Splits = ["test"] }).Split("test")[0];
        string path = sample.ImagePath;
        var sheet = ImageDecoder.Decode(path);

        var modes = new[] { InferenceMode.Letterbox, InferenceMode.Native, InferenceMode.Tiles };
        var detectors = modes.ToDictionary(m => m, m => OnnxBatchDetector.Load(onnx, new ScoringOptions { Inference = m }, settings.BatchSize));
        using var service = DigitDetector.Load(onnx);
        try
        {
            var operations = modes.Select(m => (InferenceSettings.FormatMode(m), (Action)(() => detectors[m].Detect([sheet]))))
                .Append(("default_from_file", () => service.Detect(path)))
                .ToList();
            var timing = InferenceTiming.Measure(operations, settings.Warmup, Math.Max(3, settings.Repeats / 2));
            double megapixels = Width * Height / 1e6;
            var perMode = modes.Select(m =>
            {
                var plan = detectors[m].Engine.Plan(Width, Height);
                double ms = timing.Ms(InferenceSettings.FormatMode(m));
                return new SheetModeFigures
                {
                    Mode = InferenceSettings.FormatMode(m),
                    Views = plan.Views.Count,
                    InputMegapixels = plan.Views.Sum(v => (double)v.InputWidth * v.InputHeight) / 1e6,
                    MsPerSheet = ms,
                    SheetsPerSecond = 1000 / ms,
                    MsPerMegapixel = ms / megapixels,
                    VsLetterbox = timing.Ratio(InferenceSettings.FormatMode(m), "letterbox"),
                };
            }).ToList();
            return new SheetFigures
            {
                Width = Width,
                Height = Height,
                Digits = sample.Objects.Count,
                Modes = perMode,
                DefaultMode = InferenceSettings.FormatMode(InferencePlanner.Choose(Width, Height, settings.ImageSize, detectors[InferenceMode.Native].Info.DynamicSpatialAxes)),
                DefaultFromFileMs = timing.Ms("default_from_file"),
            };
        }
        finally
        {
            foreach (var d in detectors.Values) d.Dispose();
        }
    }
}

public sealed record SheetModeFigures
{
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("views")] public int Views { get; init; }
    [JsonPropertyName("input_megapixels")] public double InputMegapixels { get; init; }
    [JsonPropertyName("ms_per_sheet")] public double MsPerSheet { get; init; }
    [JsonPropertyName("sheets_per_s")] public double SheetsPerSecond { get; init; }
    [JsonPropertyName("ms_per_megapixel")] public double MsPerMegapixel { get; init; }
    [JsonPropertyName("vs_letterbox")] public double VsLetterbox { get; init; }
}

/// <summary>Sheet figures: one generated page, every mode, plus the default mode from the PNG file (goal: 1280 x 960 under 150 ms).</summary>
public sealed record SheetFigures
{
    [JsonPropertyName("width")] public int Width { get; init; }
    [JsonPropertyName("height")] public int Height { get; init; }
    [JsonPropertyName("digits")] public int Digits { get; init; }
    [JsonPropertyName("modes")] public IReadOnlyList<SheetModeFigures> Modes { get; init; } = [];
    [JsonPropertyName("default_mode")] public string DefaultMode { get; init; } = "";
    [JsonPropertyName("default_from_file_ms")] public double DefaultFromFileMs { get; init; }
}
