using System.Globalization;
using System.Text;
using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>What <see cref="AugmentedDataset.Write"/> produced.</summary>
public sealed record AugmentedDatasetSummary(string DataYamlPath, string RotatedSplit, RotationReport Report, IReadOnlyDictionary<string, int> ImagesPerSplit);

/// <summary>
/// Writes a rotated copy of a YOLO dataset that any tool can read: <c>images/&lt;split&gt;</c>,
/// <c>labels/&lt;split&gt;</c> and a data.yaml without a <c>path</c> key (so the folder can be moved; both
/// Ultralytics and our reader then use the yaml's folder). The rotated split holds the originals (copied byte
/// for byte with their label files) plus one PNG (lossless) per angle kept by the policy, with turned labels;
/// every other split is copied as it is.
/// </summary>
public static class AugmentedDataset
{
    public static AugmentedDatasetSummary Write(string dataYamlPath, string outDir, RotationOptions options, string split = "train",
        bool overwrite = false, IProgress<DatasetWriteProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dataset = YoloDataset.Load(dataYamlPath);
        if (!dataset.HasSplit(split))
            throw new ArgumentException($"{dataset.YamlPath}: no split '{split}' to rotate (has: {string.Join(", ", dataset.SplitNames)})");
        string target = Path.GetFullPath(outDir);
        if (string.Equals(target.TrimEnd(Path.DirectorySeparatorChar), dataset.Root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new ArgumentException($"--out {target} is the source dataset's own folder; choose another");
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !overwrite)
            throw new IOException($"{target} exists and is not empty (use --force to replace it)");

        // build in a sibling staging folder and rename at the end: an interrupted run leaves no half dataset
        string staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var jobs = new List<SampleFileWriter.Job>();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            RotationReport? report = null;
            foreach (string name in dataset.SplitNames)
            {
                var samples = dataset.Split(name);
                if (name == split)
                {
                    var expansion = RotationAugmenter.Expand(samples, options with { Storage = RotatedImageStorage.Lazy }, dataset.Names);
                    report = expansion.Report;
                    samples = expansion.Samples;
                }
                var files = new SampleFileNames();
                string images = Path.Combine(staging, "images", name), labels = Path.Combine(staging, "labels", name);
                jobs.AddRange(samples.Select(s => new SampleFileWriter.Job(s, images, labels, files.Next(s.ImagePath, s.RotationDegrees))));
                counts[name] = samples.Count;
            }
            SampleFileWriter.WriteAll(jobs, progress, ct);
            string yamlPath = Path.Combine(staging, "data.yaml");
            File.WriteAllText(yamlPath, DataYaml(dataset, split, options, report!));
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return new AugmentedDatasetSummary(Path.Combine(target, "data.yaml"), split, report!, counts);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static string DataYaml(YoloDataset dataset, string split, RotationOptions options, RotationReport report)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"# rotated copy of {dataset.YamlPath}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"# split '{split}' + angles {string.Join(",", options.Angles)}, policy {options.Policy.ToString().ToLowerInvariant()}: {report}\n");
        yaml.Append("# no 'path' key: paths are relative to this file's folder\n");
        foreach (string name in dataset.SplitNames) yaml.Append(CultureInfo.InvariantCulture, $"{Key(name)}: images/{name}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"nc: {dataset.Names.Count}\nnames:\n");
        for (int i = 0; i < dataset.Names.Count; i++) yaml.Append(CultureInfo.InvariantCulture, $"  {i}: {Quote(dataset.Names[i])}\n");
        return yaml.ToString();
    }

    internal static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : Quote(name);

    internal static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
