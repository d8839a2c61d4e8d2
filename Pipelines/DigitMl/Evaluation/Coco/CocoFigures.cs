using System.Globalization;
using System.Text.Json;

namespace DigitMl.Evaluation.Coco;

/// <summary>
/// The twelve COCO summary figures (pycocotools' <c>stats</c>, torchmetrics' key names). AP is the precision
/// envelope sampled at 101 recall points and averaged over them (and over IoU 0.50:0.05:0.95 unless one IoU is
/// named); AR is the recall reached, averaged over the IoU thresholds. Unless a maximum is named, at most 100
/// detections per image and class count. -1 means no class has ground truth in that area range.
/// </summary>
public sealed record CocoFigures(
    double Map,
    double Map50,
    double Map75,
    double MapSmall,
    double MapMedium,
    double MapLarge,
    double Mar1,
    double Mar10,
    double Mar100,
    double MarSmall,
    double MarMedium,
    double MarLarge)
{
    /// <summary>The figures in pycocotools' order, with its labels (the lines its <c>summarize()</c> prints).</summary>
    public IReadOnlyList<(string Key, string Description, double Value)> Lines =>
    [
        ("map", "Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]", Map),
        ("map_50", "Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]", Map50),
        ("map_75", "Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]", Map75),
        ("map_small", "Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]", MapSmall),
        ("map_medium", "Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]", MapMedium),
        ("map_large", "Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]", MapLarge),
        ("mar_1", "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]", Mar1),
        ("mar_10", "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]", Mar10),
        ("mar_100", "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]", Mar100),
        ("mar_small", "Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]", MarSmall),
        ("mar_medium", "Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]", MarMedium),
        ("mar_large", "Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]", MarLarge),
    ];

    /// <summary>Writes the twelve figures as properties of the JSON object being written.</summary>
    public void WriteProperties(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        foreach (var (key, _, value) in Lines) json.WriteNumber(key, Math.Round(value, 6));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"map {Map:F3} map_50 {Map50:F3} map_75 {Map75:F3} map_small {MapSmall:F3} mar_100 {Mar100:F3}");
}
