using DigitMl.Data;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitMl.Scoring;

/// <summary>
/// Scoring chain step: <c>output0</c> of one image -> confidence filter, class-aware NMS, max detections, boxes mapped
/// from letterbox pixels back to the source image (clipped to it) -> PredictedLabels, PredictedBoxes, Scores.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class YoloPostProcessMapping : CustomMappingFactory<YoloPostProcessMapping.Input, YoloPostProcessMapping.Output>
{
    public const string ContractName = "DigitMl.Scoring.YoloPostProcess.v1";

    public override Action<Input, Output> GetMapping()
    {
        var settingsCache = new DetectionSettings.Cache();
        return (input, output) => Map(input, output, settingsCache.Get(input.DetectionSettings));
    }

    private static void Map(Input input, Output output, DetectionSettings settings)
    {
        var detections = YoloOutputDecoder.Decode(input.Output, settings.Names.Count, settings.Thresholds);
        var g = input.LetterboxGeometry;
        var labels = new string[detections.Count];
        var boxes = new float[detections.Count * 4];
        var scores = new float[detections.Count];
        for (int i = 0; i < detections.Count; i++)
        {
            var d = detections[i];
            var box = ToOriginal(d.Box, g[0], g[1], g[2], g[3], g[4]);
            labels[i] = settings.Names[d.ClassId];
            (boxes[i * 4], boxes[(i * 4) + 1], boxes[(i * 4) + 2], boxes[(i * 4) + 3]) = (box.X0, box.Y0, box.X1, box.Y1);
            scores[i] = d.Score;
        }

        output.PredictedLabels = labels;
        output.PredictedBoxes = boxes;
        output.Scores = scores;
    }

    /// <summary>Same mapping as <see cref="LetterboxResult.ToOriginal"/>: undo pad and scale, clip to the source image.</summary>
    internal static BoundingBox ToOriginal(BoundingBox box, float scale, float padX, float padY, float width, float height) =>
        new(
            Math.Clamp((box.X0 - padX) / scale, 0, width),
            Math.Clamp((box.Y0 - padY) / scale, 0, height),
            Math.Clamp((box.X1 - padX) / scale, 0, width),
            Math.Clamp((box.Y1 - padY) / scale, 0, height));

    public sealed class Input
    {
        [ColumnName(ScoringColumns.OnnxOutput)]
        public float[] Output { get; set; } = [];

        public float[] LetterboxGeometry { get; set; } = [];

        public ReadOnlyMemory<char> DetectionSettings { get; set; }
    }

    public sealed class Output
    {
        public string[] PredictedLabels { get; set; } = [];

        public float[] PredictedBoxes { get; set; } = [];

        public float[] Scores { get; set; } = [];
    }
}
