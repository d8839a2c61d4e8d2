using System.Text;
using System.Text.Json;

namespace DigitMl.Evaluation.Coco;

/// <summary>
/// Result of <see cref="CocoEvaluator.Evaluate"/>: the COCO figures as means over the classes that have ground truth
/// (in the area range of the figure), and the same figures for every class of the dataset.
/// </summary>
public sealed class CocoMetrics
{
    public required CocoFigures Figures { get; init; }

    /// <summary>One entry per class name, by class id, including classes without ground truth (figures -1).</summary>
    public required IReadOnlyList<CocoClassMetrics> PerClass { get; init; }

    public required int Images { get; init; }

    public required int Instances { get; init; }

    /// <summary>All detections given, before the cap of 100 per image and class.</summary>
    public required int Predictions { get; init; }

    /// <summary>The <c>coco</c> object of metrics.json: the twelve figures, counts, then <c>per_class</c>.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        Figures.WriteProperties(json);
        json.WriteNumber("images", Images);
        json.WriteNumber("instances", Instances);
        json.WriteNumber("predictions", Predictions);
        json.WriteStartArray("per_class");
        foreach (var c in PerClass)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteNumber("class_id", c.ClassId);
            json.WriteNumber("instances", c.Instances);
            c.Figures.WriteProperties(json);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><see cref="WriteJson"/> as indented text.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) WriteJson(json);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public override string ToString() => Figures.ToString();
}
