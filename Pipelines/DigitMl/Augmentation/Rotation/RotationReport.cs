using System.Globalization;
using System.Text;

namespace DigitMl.Augmentation.Rotation;

/// <summary>What an expansion did: rows in, rows added and dropped per angle, boxes relabelled.</summary>
public sealed record RotationReport(
    RotationPolicy Policy,
    int OriginalRows,
    IReadOnlyDictionary<int, int> AddedPerAngle,
    IReadOnlyDictionary<int, int> DroppedPerAngle,
    int RelabelledBoxes,
    IReadOnlyList<string> UnknownAmbiguousClasses)
{
    public int Added => AddedPerAngle.Values.Sum();

    public int Dropped => DroppedPerAngle.Values.Sum();

    public int TotalRows => OriginalRows + Added;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{OriginalRows} original rows + {Added} rotated = {TotalRows} (policy {Policy.ToString().ToLowerInvariant()}");
        if (Dropped > 0) text.Append(CultureInfo.InvariantCulture, $", {Dropped} dropped");
        if (RelabelledBoxes > 0) text.Append(CultureInfo.InvariantCulture, $", {RelabelledBoxes} boxes relabelled");
        text.Append(')');
        foreach (var (angle, added) in AddedPerAngle.OrderBy(p => p.Key))
        {
            DroppedPerAngle.TryGetValue(angle, out int dropped);
            text.Append(CultureInfo.InvariantCulture, $"; {angle}: +{added}");
            if (dropped > 0) text.Append(CultureInfo.InvariantCulture, $" (-{dropped})");
        }
        if (UnknownAmbiguousClasses.Count > 0)
            text.Append("; ambiguous classes not in the dataset: ").AppendJoin(", ", UnknownAmbiguousClasses);
        return text.ToString();
    }
}
