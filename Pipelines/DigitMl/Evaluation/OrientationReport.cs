using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitMl.Data;

namespace DigitMl.Evaluation;

/// <summary>
/// One line of <see cref="OrientationReport"/>: metrics on the test images turned by one angle (or on all
/// angles together). <see cref="OtherMap50To95"/> is the mean AP50-95 over the classes not shown separately;
/// <see cref="Separate"/> holds (AP50, AP50-95) per separately shown class, null when that class has no
/// instances in these images.
/// </summary>
public sealed record OrientationRow(
    string Rotation,
    int Images,
    int Instances,
    double Map50,
    double Map50To95,
    double OtherMap50To95,
    IReadOnlyList<(double Ap50, double Ap50To95)?> Separate);

/// <summary>
/// Evaluation by orientation: mAP50 and mAP50-95 per rotation of the test split and for all rotations
/// together, with the orientation-ambiguous classes (default 6 and 9) shown separately, because a 6 turned by
/// 180 degrees IS a 9 to any detector and those classes collapse at 180 and 270 whatever the training.
/// </summary>
public sealed class OrientationReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private OrientationReport(IReadOnlyList<string> separateClasses, IReadOnlyList<OrientationRow> rows)
    {
        SeparateClasses = separateClasses;
        Rows = rows;
    }

    /// <summary>The class names shown in their own columns (those present in the dataset).</summary>
    public IReadOnlyList<string> SeparateClasses { get; }

    /// <summary>One row per rotation (ascending), then the row "all".</summary>
    public IReadOnlyList<OrientationRow> Rows { get; }

    /// <summary>
    /// Builds the table from metrics already computed: one <see cref="DetectionMetrics"/> per rotation and,
    /// optionally, the metrics of all rotations evaluated together (null: the "all" row is left out, since
    /// the mean of per-rotation mAPs is not the mAP of the union).
    /// </summary>
    public static OrientationReport Build(IReadOnlyDictionary<int, DetectionMetrics> perRotation, DetectionMetrics? overall = null,
        IReadOnlyList<string>? separateClasses = null)
    {
        ArgumentNullException.ThrowIfNull(perRotation);
        if (perRotation.Count == 0) throw new ArgumentException("no rotations to report", nameof(perRotation));
        var names = perRotation.Values.First().Names;
        var separate = (separateClasses ?? ["6", "9"]).Where(names.Contains).ToList();
        var rows = perRotation.OrderBy(p => p.Key)
            .Select(p => Row(p.Key.ToString(CultureInfo.InvariantCulture), p.Value, separate))
            .ToList();
        if (overall is not null) rows.Add(Row("all", overall, separate));
        return new OrientationReport(separate, rows);
    }

    /// <summary>
    /// Evaluates each rotation's ground truth against its predictions (lists aligned by image) with
    /// <see cref="DetectionEvaluator"/>, and all rotations together for the "all" row.
    /// </summary>
    public static OrientationReport Evaluate(
        IReadOnlyDictionary<int, (IReadOnlyList<IReadOnlyList<LabeledBox>> Truth, IReadOnlyList<IReadOnlyList<Detection>> Predictions)> perRotation,
        IReadOnlyList<string> names, EvaluationOptions? options = null, IReadOnlyList<string>? separateClasses = null)
    {
        ArgumentNullException.ThrowIfNull(perRotation);
        var metrics = perRotation.ToDictionary(p => p.Key, p => DetectionEvaluator.Evaluate(p.Value.Truth, p.Value.Predictions, names, options));
        var ordered = perRotation.OrderBy(p => p.Key).ToList();
        var overall = DetectionEvaluator.Evaluate(
            ordered.SelectMany(p => p.Value.Truth).ToList(), ordered.SelectMany(p => p.Value.Predictions).ToList(), names, options);
        return Build(metrics, overall, separateClasses);
    }

    /// <summary>A Markdown table (for the README and the console).</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| rotation | images | instances | mAP50 | mAP50-95 | mAP50-95 other classes |");
        foreach (var name in SeparateClasses) text.Append(CultureInfo.InvariantCulture, $" AP50 {name} | AP50-95 {name} |");
        text.Append('\n').Append("|---|---:|---:|---:|---:|---:|");
        foreach (var _ in SeparateClasses) text.Append("---:|---:|");
        text.Append('\n');
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {row.Rotation} | {row.Images} | {row.Instances} | {row.Map50:F3} | {row.Map50To95:F3} | {Show(row.OtherMap50To95)} |");
            foreach (var ap in row.Separate)
                text.Append(ap is { } v ? string.Create(CultureInfo.InvariantCulture, $" {v.Ap50:F3} | {v.Ap50To95:F3} |") : " - | - |");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The rows as JSON: <c>{"separate_classes": [...], "rows": [{"rotation": "90", "map50": ..., "map50_95": ..., "other_map50_95": ..., "classes": {"6": {"ap50": ..., "ap50_95": ...}}}]}</c>.</summary>
    public string ToJson()
    {
        var rows = Rows.Select(r => new Dictionary<string, object?>
        {
            ["rotation"] = r.Rotation,
            ["images"] = r.Images,
            ["instances"] = r.Instances,
            ["map50"] = r.Map50,
            ["map50_95"] = r.Map50To95,
            ["other_map50_95"] = double.IsNaN(r.OtherMap50To95) ? null : r.OtherMap50To95,
            ["classes"] = SeparateClasses.Select((name, i) => (name, ap: r.Separate[i]))
                .ToDictionary(x => x.name, x => x.ap is { } v ? new { ap50 = v.Ap50, ap50_95 = v.Ap50To95 } : null),
        });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["separate_classes"] = SeparateClasses, ["rows"] = rows.ToList() },
            JsonOptions);
    }

    private static OrientationRow Row(string rotation, DetectionMetrics metrics, List<string> separate)
    {
        var others = metrics.PerClass.Where(c => !separate.Contains(c.Name)).ToList();
        var perSeparate = separate
            .Select(name => metrics.PerClass.FirstOrDefault(c => c.Name == name) is { } c ? ((double, double)?)(c.Ap50, c.Ap50To95) : null)
            .ToList();
        return new OrientationRow(rotation, metrics.Images, metrics.Instances, metrics.Map50, metrics.Map50To95,
            others.Count == 0 ? double.NaN : others.Average(c => c.Ap50To95), perSeparate);
    }

    private static string Show(double value) => double.IsNaN(value) ? "-" : value.ToString("F3", CultureInfo.InvariantCulture);
}
