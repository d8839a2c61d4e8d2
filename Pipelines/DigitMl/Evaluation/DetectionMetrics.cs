using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitMl.Evaluation.Coco;

namespace DigitMl.Evaluation;

/// <summary>
/// Result of <see cref="DetectionEvaluator.Evaluate"/>: the summary numbers of the reference validator
/// (means over the classes that have ground-truth instances), per-class rows, curves and the confusion matrix.
/// </summary>
public sealed class DetectionMetrics
{
    /// <summary>Mean AP at IoU 0.5.</summary>
    public required double Map50 { get; init; }

    /// <summary>Mean AP averaged over IoU 0.50:0.05:0.95.</summary>
    public required double Map50To95 { get; init; }

    /// <summary>Mean AP at each IoU threshold of <see cref="IouThresholds"/>.</summary>
    public required IReadOnlyList<double> MapPerIou { get; init; }

    /// <summary>Mean precision over classes at <see cref="ConfAtBestF1"/>.</summary>
    public required double Precision { get; init; }

    /// <summary>Mean recall over classes at <see cref="ConfAtBestF1"/>.</summary>
    public required double Recall { get; init; }

    /// <summary>Mean F1 over classes at <see cref="ConfAtBestF1"/>.</summary>
    public required double F1 { get; init; }

    /// <summary>Confidence threshold maximising the (smoothed) mean F1 curve.</summary>
    public required double ConfAtBestF1 { get; init; }

    public required int Images { get; init; }

    public required int Instances { get; init; }

    public required int Predictions { get; init; }

    public required IReadOnlyList<string> Names { get; init; }

    public required IReadOnlyList<double> IouThresholds { get; init; }

    /// <summary>One row per class with at least one ground-truth instance, by class id.</summary>
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    public required MetricCurves Curves { get; init; }

    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>The COCO figures of the same detections when <see cref="EvaluationOptions.IncludeCoco"/> was set; otherwise null.</summary>
    public CocoMetrics? Coco { get; init; }

    /// <summary>The reference's model-selection score: 0.1 * mAP50 + 0.9 * mAP50-95.</summary>
    public double Fitness => (0.1 * Map50) + (0.9 * Map50To95);

    /// <summary>metrics.json (ARCHITECTURE.md): the contract keys first, then extras.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("map50", Round(Map50));
            json.WriteNumber("map50_95", Round(Map50To95));
            json.WriteNumber("precision", Round(Precision));
            json.WriteNumber("recall", Round(Recall));
            json.WriteNumber("f1", Round(F1));
            json.WriteNumber("conf_at_best_f1", Round(ConfAtBestF1));
            json.WriteNumber("images", Images);
            json.WriteNumber("instances", Instances);
            json.WriteStartArray("per_class");
            foreach (var c in PerClass)
            {
                json.WriteStartObject();
                json.WriteString("name", c.Name);
                json.WriteNumber("instances", c.Instances);
                json.WriteNumber("ap50", Round(c.Ap50));
                json.WriteNumber("ap50_95", Round(c.Ap50To95));
                json.WriteNumber("class_id", c.ClassId);
                json.WriteNumber("images", c.Images);
                json.WriteNumber("predictions", c.Predictions);
                json.WriteNumber("precision", Round(c.Precision));
                json.WriteNumber("recall", Round(c.Recall));
                json.WriteNumber("f1", Round(c.F1));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("fitness", Round(Fitness));
            json.WriteNumber("map75", Round(MapAt(0.75)));
            json.WriteNumber("predictions", Predictions);
            json.WriteStartArray("names");
            foreach (var name in Names) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("confusion_matrix");
            var counts = ConfusionMatrix.Counts;
            for (int p = 0; p < counts.GetLength(0); p++)
            {
                json.WriteStartArray();
                for (int t = 0; t < counts.GetLength(1); t++) json.WriteNumberValue(counts[p, t]);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            if (Coco is not null)
            {
                json.WritePropertyName("coco");
                Coco.WriteJson(json);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (folders created; written to a temp file then moved).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Mean AP at the IoU threshold closest to <paramref name="iou"/> (NaN when no threshold is within 0.001).</summary>
    public double MapAt(double iou)
    {
        for (int i = 0; i < IouThresholds.Count; i++)
            if (Math.Abs(IouThresholds[i] - iou) < 1e-3) return MapPerIou[i];
        return double.NaN;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"P {Precision:F3} R {Recall:F3} mAP50 {Map50:F3} mAP50-95 {Map50To95:F3} ({Images} images, {Instances} instances)");

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;
}
