using System.Collections.Concurrent;
using System.Diagnostics;
using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>Settings of a <see cref="PredictionRunner"/> run (the <c>predict</c> command).</summary>
public sealed record PredictionRunOptions(string Model, string Source, string OutputDirectory)
{
    public ScoringOptions Scoring { get; init; } = new();

    public int BatchSize { get; init; } = 16;

    public string? JsonPath { get; init; }

    public bool SaveImages { get; init; } = true;

    public bool SaveText { get; init; } = true;

    /// <summary>Turns a checkpoint into ONNX when <see cref="Model"/> names one (see <see cref="ModelFiles.Resolve"/>).</summary>
    public Func<string, string>? ExportCheckpoint { get; init; }
}

/// <summary>Progress of a prediction run.</summary>
public sealed record PredictionProgress(int Done, int Total, double ImagesPerSecond);

/// <summary>Outcome of a prediction run; <see cref="Failures"/> lists images that could not be read, with the reason.</summary>
public sealed record PredictionSummary(int Images, int Detections, double Seconds, IReadOnlyList<string> Failures)
{
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;

    /// <summary>How many images a turn-aware model found turned by each angle (degrees); empty for plain models.</summary>
    public IReadOnlyDictionary<int, int> PageTurns { get; init; } = new Dictionary<int, int>();
}

/// <summary>
/// Runs a detector over an image or a folder of images in batches and writes annotated PNGs (<c>OUT/&lt;stem&gt;.png</c>),
/// label text files (<c>OUT/labels/&lt;stem&gt;.txt</c>) and optionally a JSON file. An ONNX model (or an artifact
/// folder / model.zip with a model.onnx beside it) is run batched on ONNX Runtime; a lone model.zip through the
/// ML.NET chain, one image per PredictionEngine call, in parallel. Large images are read at their own scale by the
/// <see cref="ScoringOptions.Inference"/> mode (auto by default), and turn-aware models report the page turn.
/// </summary>
public static class PredictionRunner
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif" };

    /// <summary>The image itself, or the images of a folder (not recursive), sorted by name.</summary>
    public static IReadOnlyList<string> FindImages(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (File.Exists(source)) return [Path.GetFullPath(source)];
        if (!Directory.Exists(source)) throw new FileNotFoundException($"{source}: no such image or folder", source);
        var images = Directory.EnumerateFiles(source).Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        if (images.Count == 0) throw new InvalidDataException($"{source}: folder has no images ({string.Join(", ", Extensions)})");
        return images;
    }

    public static PredictionSummary Run(PredictionRunOptions options, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize);
        var images = FindImages(options.Source);
        string modelFile = ModelFiles.Resolve(options.Model, options.ExportCheckpoint);
        string? onnx = ModelFiles.ResolveOnnx(modelFile);

        Directory.CreateDirectory(options.OutputDirectory);
        string labelsDir = Path.Combine(options.OutputDirectory, "labels");
        if (options.SaveText) Directory.CreateDirectory(labelsDir);

        var results = new ImagePredictions[images.Count];
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        using var batchDetector = onnx is null ? null : OnnxBatchDetector.Load(onnx, options.Scoring);
        using var detector = onnx is null ? DigitDetector.Load(modelFile, options.Scoring) : null;

        for (int start = 0; start < images.Count; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(options.BatchSize, images.Count - start);
            var decoded = new RgbImage?[count];
            Parallel.For(0, count, i =>
            {
                string path = images[start + i];
                try
                {
                    decoded[i] = ImageLoading.Decode(path, options.Scoring.MaxImagePixels);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    failures.Add(e.Message);
                    results[start + i] = new ImagePredictions(path, 0, 0, [], e.Message);
                }
            });

            var ok = Enumerable.Range(0, count).Where(i => decoded[i] is not null).ToList();
            IReadOnlyList<PageDetections> found;
            if (batchDetector is not null)
            {
                found = batchDetector.DetectPages(ok.Select(i => decoded[i]!).ToList());
            }
            else
            {
                var perImage = new PageDetections[ok.Count];
                Parallel.For(0, ok.Count, k => perImage[k] = detector!.DetectPage(images[start + ok[k]]));
                found = perImage;
            }

            Parallel.For(0, ok.Count, k =>
            {
                int i = ok[k];
                string path = images[start + i];
                var image = decoded[i]!;
                string stem = Path.GetFileNameWithoutExtension(path);
                var detections = found[k].Detections;
                if (options.SaveText)
                    File.WriteAllText(Path.Combine(labelsDir, stem + ".txt"), PredictionOutputs.FormatText(detections, image.Width, image.Height));
                if (options.SaveImages)
                    PredictionOutputs.SaveAnnotated(image, detections, Path.Combine(options.OutputDirectory, stem + ".png"));
                results[start + i] = new ImagePredictions(path, image.Width, image.Height, detections) { PageTurn = found[k].PageTurn };
            });

            int done = start + count;
            progress?.Report(new PredictionProgress(done, images.Count, done / Math.Max(1e-9, clock.Elapsed.TotalSeconds)));
        }

        double seconds = clock.Elapsed.TotalSeconds;
        if (options.JsonPath is not null)
        {
            string json = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(json)!);
            PredictionOutputs.WriteJson(results, json);
        }

        return new PredictionSummary(images.Count, results.Sum(r => r.Detections.Count), seconds, failures.Order(StringComparer.Ordinal).ToList())
        {
            PageTurns = results.Where(r => r.PageTurn is not null).GroupBy(r => r.PageTurn!.Value).ToDictionary(g => g.Key, g => g.Count()),
        };
    }
}
