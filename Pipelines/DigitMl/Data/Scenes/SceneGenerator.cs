using System.Globalization;
using System.Text;
using DigitMl.Data.Mnist;

namespace DigitMl.Data.Scenes;

/// <summary>
/// Writes the MNIST digit-scene dataset in the Ultralytics layout: images/{train,val,test}/NNNNNN.png,
/// labels/{split}/NNNNNN.txt (`class cx cy w h`, normalised), data.yaml, manifest.csv and the .complete
/// marker. Scenes of a split use only that split's MNIST pool. Each scene has its own generator seeded
/// from (seed, split, index), so the output is byte-identical however many threads draw it.
/// The dataset is built in a hidden sibling folder and renamed into place when whole.
/// </summary>
public static class SceneGenerator
{
    /// <summary>Bump when the drawing changes: a different version makes EnsureDefault regenerate.</summary>
    public const string Version = "digit-scenes/2";

    public const string DataYamlFileName = "data.yaml";

    public static IReadOnlyList<string> ClassNames { get; } = [.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Generates the dataset into <paramref name="outDir"/> (replacing an earlier generated one) and returns its data.yaml path.</summary>
    public static string Generate(MnistDigits digits, string outDir, SceneOptions options, IProgress<SceneGenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(digits);
        return Generate(new MnistDigitSource(digits), outDir, options, progress, cancellationToken);
    }

    /// <summary>
    /// As above with digits from any source. A source that may not train (handwriting fonts: evaluation only) is
    /// refused for train and val scenes, so such digits can never reach a training split.
    /// </summary>
    public static string Generate(IDigitSource source, string outDir, SceneOptions options, IProgress<SceneGenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!source.MayTrain && (options.Train > 0 || options.Val > 0))
            throw new ArgumentException($"digit source '{source.Name}' is for evaluation only: it may fill a test split, not {options.Train} train and {options.Val} val scenes");
        string target = Path.GetFullPath(outDir);
        if (Directory.Exists(target) && !SceneDatasetMarker.IsGenerated(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new IOException($"{target}: refusing to replace a non-empty folder that is not a generated scene dataset (no {SceneDatasetMarker.FileName} marker)");

        string parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"{outDir}: no parent folder", nameof(outDir));
        Directory.CreateDirectory(parent);
        RemoveLeftovers(parent, Path.GetFileName(target));
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var scenes = Draw(source, staging, options, progress, cancellationToken);
            SceneManifest.Write(Path.Combine(staging, SceneManifest.FileName), scenes);
            File.WriteAllText(Path.Combine(staging, DataYamlFileName), DataYaml(target, options, source.ClassNames));
            File.WriteAllText(Path.Combine(staging, SceneDatasetMarker.FileName), SceneDatasetMarker.Expected(options, source));
            MoveIntoPlace(staging, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return Path.Combine(target, DataYamlFileName);
    }

    /// <summary>Draws every scene into <paramref name="root"/> (images + labels) and returns them in split, index order.</summary>
    internal static IReadOnlyList<SceneRecord> Draw(IDigitSource source, string root, SceneOptions options, IProgress<SceneGenerationProgress>? progress, CancellationToken cancellationToken)
    {
        var jobs = new List<(string Split, int SplitId, int Index)>();
        for (int splitId = 0; splitId < MnistSplit.Names.Count; splitId++)
        {
            string split = MnistSplit.Names[splitId];
            Directory.CreateDirectory(Path.Combine(root, "images", split));
            Directory.CreateDirectory(Path.Combine(root, "labels", split));
            for (int i = 0; i < options.CountOf(split); i++) jobs.Add((split, splitId, i));
        }

        var pools = MnistSplit.Names.ToDictionary(s => s, source.Pool);
        var records = new SceneRecord[jobs.Count];
        var gate = new Lock();
        int done = 0, step = Math.Max(1, jobs.Count / 200);
        progress?.Report(new SceneGenerationProgress(0, jobs.Count));
        Parallel.For(0, jobs.Count, new ParallelOptions { CancellationToken = cancellationToken }, j =>
        {
            var (split, splitId, index) = jobs[j];
            var scene = SceneRenderer.Render(source, pools[split], options, SceneRandom.ForScene(options.Seed, splitId, index));
            string stem = index.ToString("D6", CultureInfo.InvariantCulture);
            string imagePath = $"images/{split}/{stem}.png";
            ScenePng.Save(scene.Image, Path.Combine(root, imagePath));
            File.WriteAllText(Path.Combine(root, "labels", split, stem + ".txt"), LabelText(scene.Digits, scene.Image.Width, scene.Image.Height));
            records[j] = new SceneRecord(split, index, imagePath, scene.Digits);
            if (progress is null) return;
            lock (gate)
            {
                done++;
                if (done % step == 0 || done == jobs.Count) progress.Report(new SceneGenerationProgress(done, jobs.Count));
            }
        });
        return records;
    }

    /// <summary>Ultralytics label lines: class, then centre x/y and width/height normalised to the image.</summary>
    internal static string LabelText(IReadOnlyList<PlacedDigit> digits, int width, int height)
    {
        var text = new StringBuilder();
        foreach (var d in digits)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{d.ClassId} {d.Box.CenterX / width:F6} {d.Box.CenterY / height:F6} {d.Box.Width / width:F6} {d.Box.Height / height:F6}\n");
        }
        return text.ToString();
    }

    private static string DataYaml(string root, SceneOptions options, IReadOnlyList<string> classNames)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture,
            $"# MNIST digit scenes ({Version}, seed {options.Seed}, {options.Width}x{options.Height}); written by `dotnet run --project Experiments -- data`\n");
        yaml.Append(CultureInfo.InvariantCulture, $"path: '{root.Replace("'", "''", StringComparison.Ordinal)}'\n");
        foreach (var split in MnistSplit.Names) yaml.Append(CultureInfo.InvariantCulture, $"{split}: images/{split}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"nc: {classNames.Count}\nnames:\n");
        for (int i = 0; i < classNames.Count; i++) yaml.Append(CultureInfo.InvariantCulture, $"  {i}: '{classNames[i].Replace("'", "''", StringComparison.Ordinal)}'\n");
        return yaml.ToString();
    }

    /// <summary>
    /// Staging and replaced folders (`.name.partial-PID-*`, `.name.old-PID-*`) of runs that were killed before they
    /// could clean up (kill -9, power loss): removed when their process is gone. A running generator's are kept.
    /// </summary>
    private static void RemoveLeftovers(string parent, string name)
    {
        foreach (string kind in new[] { "partial", "old" })
        {
            foreach (string dir in Directory.GetDirectories(parent, $".{name}.{kind}-*"))
            {
                string rest = Path.GetFileName(dir)[$".{name}.{kind}-".Length..];
                int dash = rest.IndexOf('-', StringComparison.Ordinal);
                if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || AbandonedFolders.IsRunning(pid)) continue;
                AbandonedFolders.TryDelete(dir);
            }
        }
    }

    private static void MoveIntoPlace(string staging, string target)
    {
        string? old = null;
        if (Directory.Exists(target))
        {
            old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(target, old);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (old is not null && !Directory.Exists(target))
        {
            Directory.Move(old, target);
            throw;
        }
        if (old is not null) Directory.Delete(old, recursive: true);
    }
}
