using System.Runtime.InteropServices;
using DigitMl.Data;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitMl.Scoring;

// The scoring chain's custom mappings. ML.NET saves a custom mapping by its contract name only: the model bytes and
// the settings reach them as constant text columns (saved Expression transforms), read by reference on every row.
#pragma warning disable SA1402, SA1649

/// <summary>Output columns of the detection step (the chain's defaults; renamed by later steps when options say so).</summary>
public sealed class DetectionOutput
{
    public string[] PredictedLabels { get; set; } = [];

    /// <summary>x0, y0, x1, y1 per detection in source image pixels, flattened.</summary>
    public float[] PredictedBoxes { get; set; } = [];

    public float[] Scores { get; set; } = [];

    /// <summary>Degrees clockwise (0, 90, 180, 270) for turn-aware models; -1 when no turn was decided.</summary>
    public int PageTurn { get; set; } = -1;
}

/// <summary>Scoring chain step: image path -> the training decoder -> <see cref="DetectionEngine"/> -> detections.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class DetectFromPathMapping : CustomMappingFactory<DetectFromPathMapping.Input, DetectionOutput>
{
    public const string ContractName = "DigitMl.Scoring.DetectFromPath.v2";

    public override Action<Input, DetectionOutput> GetMapping()
    {
        var engines = new DetectionEngineCache();
        return (input, output) =>
        {
            var engine = engines.Get(input.OnnxModel, input.DetectionSettings);
            var image = ImageLoading.Decode(input.ImagePath.ToString(), engine.Settings.MaxImagePixels);
            DetectionEngineCache.Write(engine.Detect(image), output);
        };
    }

    public sealed class Input
    {
        public ReadOnlyMemory<char> ImagePath { get; set; }

        public ReadOnlyMemory<char> DetectionSettings { get; set; }

        [ColumnName(ScoringColumns.OnnxModel)]
        public ReadOnlyMemory<char> OnnxModel { get; set; }
    }
}

/// <summary>Scoring chain step: an ML.NET image (<see cref="MLImage"/>, e.g. from LoadImages) -> <see cref="DetectionEngine"/> -> detections.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class DetectFromImageMapping : CustomMappingFactory<DetectFromImageMapping.Input, DetectionOutput>
{
    public const string ContractName = "DigitMl.Scoring.DetectFromImage.v2";

    public override Action<Input, DetectionOutput> GetMapping()
    {
        var engines = new DetectionEngineCache();
        return (input, output) =>
        {
            var engine = engines.Get(input.OnnxModel, input.DetectionSettings);
            var source = input.Image ?? throw new InvalidDataException($"column '{ScoringColumns.Image}': missing image (null)");
            var image = MLImagePixels.ToRgb(source, source.Tag ?? "MLImage", engine.Settings.MaxImagePixels);
            DetectionEngineCache.Write(engine.Detect(image), output);
        };
    }

    public sealed class Input
    {
        [VariableSizeImage]
        public MLImage? Image { get; set; }

        public ReadOnlyMemory<char> DetectionSettings { get; set; }

        [ColumnName(ScoringColumns.OnnxModel)]
        public ReadOnlyMemory<char> OnnxModel { get; set; }
    }
}

/// <summary>Scoring chain step 1: a constant column that the settings and model expressions are computed from.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RowAnchorMapping : CustomMappingFactory<RowAnchorMapping.Input, RowAnchorMapping.Output>
{
    public const string ContractName = "DigitMl.Scoring.RowAnchor.v1";

    public override Action<Input, Output> GetMapping() => static (_, output) => output.Anchor = 0;

    public sealed class Input
    {
    }

    public sealed class Output
    {
        [ColumnName(ScoringColumns.RowAnchor)]
        public float Anchor { get; set; }
    }
}

/// <summary>
/// The engine of a chain's mapping, built once from the model column (base64 ONNX bytes) and the settings column and
/// reused while both stay the same strings (a reference check per row). Thread-safe: every PredictionEngine of a
/// transformer shares its mapping delegate.
/// </summary>
internal sealed class DetectionEngineCache
{
    private readonly DetectionSettings.Cache _settings = new();
    private readonly Lock _lock = new();
    private volatile Entry? _last;

    public DetectionEngine Get(ReadOnlyMemory<char> model, ReadOnlyMemory<char> settingsText)
    {
        var settings = _settings.Get(settingsText);
        var last = _last;
        if (last is not null && ReferenceEquals(last.Engine.Settings, settings) && SameText(model, last.Model)) return last.Engine;
        lock (_lock)
        {
            last = _last;
            IDetectionNetwork session;
            string modelText;
            if (last is not null && SameText(model, last.Model))
            {
                if (ReferenceEquals(last.Engine.Settings, settings)) return last.Engine;
                (session, modelText) = (last.Engine.Session, last.Model);
            }
            else
            {
                if (model.IsEmpty)
                    throw new InvalidDataException($"the scoring chain's '{ScoringColumns.OnnxModel}' column is empty: not a model saved by this version of DigitMl");
                modelText = DetectionSettings.Cache.AsString(model);
                session = YoloOnnxSession.Open(Convert.FromBase64String(modelText), "the ONNX model inside the scoring chain", settings.IntraOpThreads);
            }

            var engine = new DetectionEngine(session, settings);
            _last = new Entry(modelText, engine);
            return engine;
        }
    }

    public static void Write(PageDetections result, DetectionOutput output)
    {
        var detections = result.Detections;
        var labels = new string[detections.Count];
        var boxes = new float[detections.Count * 4];
        var scores = new float[detections.Count];
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            labels[i] = d.Label;
            (boxes[i * 4], boxes[(i * 4) + 1], boxes[(i * 4) + 2], boxes[(i * 4) + 3]) = (d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1);
            scores[i] = d.Score;
        }

        output.PredictedLabels = labels;
        output.PredictedBoxes = boxes;
        output.Scores = scores;
        output.PageTurn = result.PageTurnOrNone;
    }

    private static bool SameText(ReadOnlyMemory<char> text, string cached) =>
        (MemoryMarshal.TryGetString(text, out var s, out int start, out int length) && ReferenceEquals(s, cached) && start == 0 && length == cached.Length)
        || text.Span.SequenceEqual(cached);

    private sealed record Entry(string Model, DetectionEngine Engine);
}
