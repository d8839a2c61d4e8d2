using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>What <see cref="RotatedSplits.Write"/> added to a dataset: one split name per angle, with its image count.</summary>
public sealed record RotatedSplitsSummary(string DataYamlPath, string SourceSplit, IReadOnlyDictionary<int, string> SplitPerAngle, int ImagesPerSplit);

/// <summary>
/// Evaluation by orientation: writes a split turned by each angle as its own split of the same dataset
/// (<c>images/test_rot90</c>, <c>labels/test_rot90</c>, ..., labels turned exactly, no 6/9 policy: these are
/// the ground truth of a turned page) and adds the keys <c>test_rot0</c>, <c>test_rot90</c>, ... to data.yaml.
/// <c>test_rot0</c> points at the split's own sources. Running it again replaces what it wrote before; the
/// rest of data.yaml (comments included) is kept as it is.
/// </summary>
public static class RotatedSplits
{
    /// <summary>The split name for <paramref name="split"/> turned by <paramref name="degrees"/>: <c>test_rot90</c>.</summary>
    public static string SplitName(string split, int degrees) =>
        string.Create(CultureInfo.InvariantCulture, $"{split}_rot{ImageRotation.NormalizeQuarterTurns(degrees) * 90}");

    /// <summary>The turned copies of <paramref name="split"/> that a dataset has (angle to split name), e.g. for <c>evaluate</c>.</summary>
    public static IReadOnlyDictionary<int, string> Find(YoloDataset dataset, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var found = new SortedDictionary<int, string>();
        foreach (int angle in new[] { 0, 90, 180, 270 })
            if (dataset.HasSplit(SplitName(split, angle))) found[angle] = SplitName(split, angle);
        return found;
    }

    public static RotatedSplitsSummary Write(string dataYamlPath, string split = "test", IReadOnlyList<int>? angles = null,
        IProgress<DatasetWriteProgress>? progress = null, CancellationToken ct = default)
    {
        angles ??= [0, 90, 180, 270];
        var normalized = angles.Select(a => ImageRotation.NormalizeQuarterTurns(a) * 90).Distinct().Order().ToList();
        if (normalized.Count == 0) throw new ArgumentException("no rotation angles given", nameof(angles));
        // read only the split to turn (the others, earlier turned copies included, are not needed)
        var dataset = YoloDataset.Load(dataYamlPath, new YoloDatasetOptions { Splits = [split] });
        if (!dataset.HasSplit(split))
            throw new ArgumentException($"{dataset.YamlPath}: no split '{split}' to turn (has: {string.Join(", ", dataset.SplitNames)})");
        var samples = dataset.Split(split);

        var jobs = new List<SampleFileWriter.Job>();
        var names = new Dictionary<int, string>();
        foreach (int angle in normalized)
        {
            string name = SplitName(split, angle);
            names[angle] = name;
            if (angle == 0) continue;
            string images = Path.Combine(dataset.Root, "images", name), labels = Path.Combine(dataset.Root, "labels", name);
            foreach (var dir in new[] { images, labels })
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var files = new SampleFileNames();
            // stems without a _rot suffix: the folder already says the angle, and file names match the source split
            jobs.AddRange(samples.Select(s => new SampleFileWriter.Job(RotationAugmenter.Rotate(s, angle), images, labels, files.Next(s.ImagePath, 0))));
        }
        SampleFileWriter.WriteAll(jobs, progress, ct);
        UpdateYaml(dataset, split, names);
        return new RotatedSplitsSummary(dataset.YamlPath, split, names, samples.Count);
    }

    private static void UpdateYaml(YoloDataset dataset, string split, Dictionary<int, string> names)
    {
        var lines = File.ReadAllLines(dataset.YamlPath).ToList();
        var ours = OurKey(split);
        // drop earlier entries of ours: the key line and any indented / list lines that continue its value
        var kept = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            if (!ours.IsMatch(lines[i]))
            {
                kept.Add(lines[i]);
                continue;
            }
            while (i + 1 < lines.Count && lines[i + 1].Length > 0 && (char.IsWhiteSpace(lines[i + 1][0]) || lines[i + 1][0] == '-')) i++;
        }
        while (kept.Count > 0 && kept[^1].Trim().Length == 0) kept.RemoveAt(kept.Count - 1);
        var text = new StringBuilder();
        foreach (var line in kept) text.Append(line).Append('\n');
        foreach (var (angle, name) in names.OrderBy(p => p.Key))
        {
            string value = angle == 0
                ? SourcesValue(dataset, split)
                : $"images/{name}";
            text.Append(CultureInfo.InvariantCulture, $"{AugmentedDataset.Key(name)}: {value}\n");
        }
        string temporary = dataset.YamlPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, dataset.YamlPath, overwrite: true);
    }

    // the split's own sources, relative to the dataset root where possible
    private static string SourcesValue(YoloDataset dataset, string split)
    {
        var sources = dataset.SplitSources(split)
            .Select(p => AugmentedDataset.Quote(Path.GetRelativePath(dataset.Root, p).Replace(Path.DirectorySeparatorChar, '/')))
            .ToList();
        return sources.Count == 1 ? sources[0] : "[" + string.Join(", ", sources) + "]";
    }

    private static Regex OurKey(string split) =>
        new("^'?" + Regex.Escape(split) + @"_rot\d+'?\s*:", RegexOptions.CultureInvariant);
}
