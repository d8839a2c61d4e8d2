using System.Globalization;
using System.Text;
using Microsoft.ML;

namespace DigitMl.Data;

/// <summary>
/// A YOLO dataset described by an Ultralytics/Roboflow data.yaml (see <see cref="DataYamlFile"/> for the path rules):
/// class names and, per split, the images with their boxes in pixels, in ordinal path order.
/// <para>Load validates everything and, by default, fails with one <see cref="DatasetValidationException"/> that lists
/// every problem; with <see cref="YoloDatasetOptions.SkipInvalid"/> bad images are left out and reported instead.</para>
/// </summary>
public sealed class YoloDataset
{
    private readonly Dictionary<string, SplitSource> sources;
    private readonly Dictionary<string, Lazy<IReadOnlyList<YoloSample>>> splits;
    private readonly List<DatasetProblem> problems = [];
    private readonly YoloDatasetOptions options;
    private readonly object problemsLock = new();

    private YoloDataset(DataYamlFile yaml, YoloDatasetOptions options)
    {
        this.options = options;
        YamlPath = yaml.YamlPath;
        Root = yaml.Root;
        Names = yaml.Names;
        SplitNames = yaml.Splits.Select(s => s.Name).ToList();
        sources = yaml.Splits.ToDictionary(s => s.Name, StringComparer.Ordinal);
        splits = yaml.Splits.ToDictionary(
            s => s.Name,
            s => new Lazy<IReadOnlyList<YoloSample>>(() => ReadSplitOrThrow(s)),
            StringComparer.Ordinal);
    }

    /// <summary>Absolute path of data.yaml.</summary>
    public string YamlPath { get; }

    /// <summary>The dataset root: data.yaml's <c>path</c> resolved (absolute), or the yaml's folder.</summary>
    public string Root { get; }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Splits named in data.yaml, in file order (train, val, test and any other key naming images).</summary>
    public IReadOnlyList<string> SplitNames { get; }

    /// <summary>Problems found so far (only non-empty with <see cref="YoloDatasetOptions.SkipInvalid"/>: otherwise they throw).</summary>
    public IReadOnlyList<DatasetProblem> Problems
    {
        get
        {
            lock (problemsLock) return problems.ToList();
        }
    }

    /// <summary>Where the skip report was written, or null when nothing was skipped.</summary>
    public string? SkipReportPath { get; private set; }

    public static YoloDataset Load(string dataYamlPath, YoloDatasetOptions? options = null)
    {
        options ??= new YoloDatasetOptions();
        var yaml = DataYamlFile.Read(dataYamlPath, options.MaxProblemsInMessage);
        var dataset = new YoloDataset(yaml, options);
        var eager = yaml.Splits.Where(s => options.Splits is null || options.Splits.Contains(s.Name)).ToList();
        var found = new List<DatasetProblem>();
        var loaded = new Dictionary<string, List<YoloSample>>(StringComparer.Ordinal);
        foreach (var split in eager)
        {
            var (samples, splitProblems) = YoloSplitReader.Read(yaml.YamlPath, split, yaml.Names.Count, options);
            loaded[split.Name] = samples;
            found.AddRange(splitProblems);
        }
        if (found.Count > 0 && !options.SkipInvalid)
            throw new DatasetValidationException(yaml.YamlPath, found, options.MaxProblemsInMessage);
        foreach (var (name, samples) in loaded)
            dataset.splits[name] = new Lazy<IReadOnlyList<YoloSample>>(samples.AsReadOnly());
        dataset.Record(found);
        return dataset;
    }

    public bool HasSplit(string split) => splits.ContainsKey(split);

    /// <summary>The images of a split with their objects (pixel boxes), sorted by path.</summary>
    public IReadOnlyList<YoloSample> Split(string split) => Lazy(split).Value;

    /// <summary>The absolute folders, image lists or images that data.yaml's key <paramref name="split"/> resolved to.</summary>
    public IReadOnlyList<string> SplitSources(string split)
    {
        _ = Lazy(split);
        return sources[split].Paths;
    }

    /// <summary>The split as rows of the <see cref="YoloDataRow"/> schema (class names in the Labels column).</summary>
    public IEnumerable<YoloDataRow> Rows(string split) => Split(split).Select(s => YoloDataRow.FromSample(s, Names));

    /// <summary>The split as an ML.NET IDataView: ImagePath, Labels, Boxes, Width, Height, Rotation (see <see cref="YoloDataRow"/>).</summary>
    public IDataView ToDataView(MLContext mlContext, string split) => YoloDataRow.ToDataView(mlContext, Split(split), Names);

    /// <summary>A few lines for logs: root, classes, and per split its resolved sources, image and object counts.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"dataset {YamlPath}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  root: {Root}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  names ({Names.Count}): {string.Join(", ", Names)}");
        foreach (string name in SplitNames)
        {
            var samples = Split(name);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {name}: {samples.Count} images, {samples.Sum(s => s.Objects.Count)} objects from {string.Join(", ", sources[name].Paths)}");
        }
        lock (problemsLock)
        {
            if (problems.Count > 0)
                text.AppendLine(CultureInfo.InvariantCulture, $"  skipped: {problems.Count} problems, report {SkipReportPath}");
        }
        return text.ToString();
    }

    private Lazy<IReadOnlyList<YoloSample>> Lazy(string split) =>
        splits.TryGetValue(split, out var lazy)
            ? lazy
            : throw new ArgumentException($"{YamlPath}: no split '{split}' (has: {string.Join(", ", SplitNames)})", nameof(split));

    private IReadOnlyList<YoloSample> ReadSplitOrThrow(SplitSource split)
    {
        var (samples, found) = YoloSplitReader.Read(YamlPath, split, Names.Count, options);
        if (found.Count > 0 && !options.SkipInvalid)
            throw new DatasetValidationException(YamlPath, found, options.MaxProblemsInMessage);
        Record(found);
        return samples.AsReadOnly();
    }

    private void Record(List<DatasetProblem> found)
    {
        lock (problemsLock)
        {
            problems.AddRange(found);
            if (!options.SkipInvalid || (problems.Count == 0 && options.ReportPath is null)) return;
            SkipReportPath = WriteReport();
        }
    }

    private string WriteReport()
    {
        var lines = new List<string>
        {
            $"# skipped while reading {YamlPath}",
            $"# {problems.Count} problems, {problems.Select(p => p.SkippedImage).OfType<string>().Distinct().Count()} images left out",
        };
        lines.AddRange(problems.Select(p => p.ToString()));
        string preferred = options.ReportPath ?? Path.ChangeExtension(YamlPath, ".skipped.txt");
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(preferred)) is { } dir) Directory.CreateDirectory(dir);
            File.WriteAllLines(preferred, lines);
            return Path.GetFullPath(preferred);
        }
        catch (Exception e) when (options.ReportPath is null && e is IOException or UnauthorizedAccessException)
        {
            string fallback = Path.Combine(Path.GetTempPath(), $"digitml-{Path.GetFileNameWithoutExtension(YamlPath)}-{Guid.NewGuid():N}.skipped.txt");
            File.WriteAllLines(fallback, lines);
            return fallback;
        }
    }
}
