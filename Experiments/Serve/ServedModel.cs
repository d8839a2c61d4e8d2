using System.Text.Json;
using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// One loaded model as the service uses it: the <see cref="DigitDetector"/> with the model's own thresholds, plus
/// detectors for requests that ask for other thresholds, and what <c>GET /v1/model</c> shows. Reference-counted, so
/// a model replaced by a reload is disposed only when its last request has finished.
/// </summary>
/// <remarks>
/// Per-request thresholds without reloading the model for each value: greedy NMS decides a box from better boxes only,
/// so a higher confidence threshold and a smaller maximum give exactly a prefix of a looser run's result (best first).
/// A request that keeps the model's IoU and asks for conf &gt;= the model's and max_det &lt;= the model's is filtered
/// from the main detector; any other request is filtered from a detector loaded with that IoU, conf 0 and the largest
/// max_det (one per IoU value, inference mode and page-orientation mode, at most <see cref="ServeOptions.MaxThresholdVariants"/>; beyond that a one-off detector).
/// Tests check both paths against a detector loaded with the requested thresholds.
/// </remarks>
public sealed class ServedModel : IDisposable
{
    private readonly DigitDetector _main;
    private readonly Dictionary<VariantKey, Lazy<DigitDetector>> _variants = [];
    private readonly Lock _variantsLock = new();
    private readonly ServeOptions _options;
    private int _references = 1;
    private int _disposed;

    private ServedModel(ResolvedModel model, DigitDetector main, ServeOptions options, JsonElement? metrics)
    {
        Model = model;
        _main = main;
        _options = options;
        Metrics = metrics;
    }

    public ResolvedModel Model { get; }

    public string Version => Model.Version;

    /// <summary>"zip" (ML.NET model.zip) or "onnx".</summary>
    public string Format => Model.File.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? "onnx" : "zip";

    public IReadOnlyList<string> Names => _main.Names;

    public int ImageSize => _main.Settings.ImageSize;

    /// <summary>The model's own thresholds: what a request without conf/iou/max_det gets.</summary>
    public DetectionThresholds Thresholds => _main.Settings.Thresholds;

    /// <summary>The artifact's metrics.json (beside the model file), when there is one.</summary>
    public JsonElement? Metrics { get; }

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Loads the model file; throws (naming the file) when it is missing or not a DigitMl detector.</summary>
    public static ServedModel Load(ResolvedModel model, ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var main = DigitDetector.Load(model.File);
        if (main.Settings.MaxImagePixels < options.MaxImagePixels)
        {
            // the service checks the pixel limit itself; the detector's own (saved) limit must not be the tighter one
            var saved = main.Settings;
            main.Dispose();
            main = DigitDetector.Load(model.File, ScoringOptionsOf(saved.Thresholds, options.MaxImagePixels));
        }

        return new ServedModel(model, main, options, ReadMetrics(model.File));
    }

    /// <summary>Detections best first, with the request's thresholds. Throws <see cref="InvalidDataException"/> for undecodable images.</summary>
    public IReadOnlyList<Detection> Detect(byte[] image, DetectParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var saved = Thresholds;
        float conf = parameters.Confidence ?? saved.Confidence;
        float iou = parameters.IoU ?? saved.IoU;
        int maxDetections = parameters.MaxDetections ?? saved.MaxDetections;
        var inference = parameters.Inference ?? _main.Settings.Inference.Mode;
        var orientation = parameters.Orientation ?? _main.Settings.PageOrientation;
        bool sameReading = inference == _main.Settings.Inference.Mode && orientation == _main.Settings.PageOrientation;
        // tiles merge the pieces of digits cut by tile edges among the boxes above the threshold, so a stricter
        // threshold is not a prefix of a looser run: a tiles request gets a detector of exactly its thresholds
        bool exact = inference == InferenceMode.Tiles;
        if (!exact && sameReading && iou == saved.IoU && conf >= saved.Confidence && maxDetections <= saved.MaxDetections)
            return Prefix(_main.Detect(image), conf, maxDetections);

        var key = exact
            ? new VariantKey(iou, inference, orientation, conf, maxDetections)
            : new VariantKey(iou, inference, orientation, 0, ServeOptions.MaxDetectionsLimit);
        var variant = VariantFor(key);
        if (variant is not null) return Prefix(variant.Detect(image), conf, maxDetections);
        using var oneOff = DigitDetector.Load(Model.File, VariantOptions(key));
        return Prefix(oneOff.Detect(image), conf, maxDetections);
    }

    /// <summary>What a detector of other settings than the model's differs in (conf and max_det are cut from its answer).</summary>
    private readonly record struct VariantKey(float IoU, InferenceMode Inference, PageOrientationMode Orientation, float Confidence, int MaxDetections);

    internal bool TryAddReference()
    {
        int current = Volatile.Read(ref _references);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }

        return false;
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) DisposeDetectors();
    }

    /// <summary>Drops the owner's reference: the detectors are disposed once no request holds the model any more.</summary>
    public void Dispose() => Release();

    private DigitDetector? VariantFor(VariantKey key)
    {
        Lazy<DigitDetector>? lazy;
        lock (_variantsLock)
        {
            if (!_variants.TryGetValue(key, out lazy))
            {
                if (_variants.Count >= _options.MaxThresholdVariants) return null;
                lazy = new Lazy<DigitDetector>(() => DigitDetector.Load(Model.File, VariantOptions(key)), LazyThreadSafetyMode.ExecutionAndPublication);
                _variants[key] = lazy;
            }
        }

        try
        {
            return lazy.Value;
        }
        catch
        {
            lock (_variantsLock) _variants.Remove(key);
            throw;
        }
    }

    private ScoringOptions VariantOptions(VariantKey key) =>
        ScoringOptionsOf(new DetectionThresholds(key.Confidence, key.IoU, key.MaxDetections, Thresholds.ClassAgnostic), Math.Max(_options.MaxImagePixels, _main.Settings.MaxImagePixels)) with
        {
            Inference = key.Inference,
            TileSize = _main.Settings.Inference.TileSize,
            TileOverlap = _main.Settings.Inference.TileOverlap,
            MaxInferencePixels = _main.Settings.Inference.MaxPixels,
            PageOrientation = key.Orientation,
        };

    private static ScoringOptions ScoringOptionsOf(DetectionThresholds thresholds, long maxImagePixels) => new()
    {
        Confidence = thresholds.Confidence,
        IoU = thresholds.IoU,
        MaxDetections = thresholds.MaxDetections,
        ClassAgnostic = thresholds.ClassAgnostic,
        MaxImagePixels = maxImagePixels,
    };

    private static IReadOnlyList<Detection> Prefix(IReadOnlyList<Detection> bestFirst, float conf, int maxDetections)
    {
        int count = 0;
        while (count < bestFirst.Count && count < maxDetections && bestFirst[count].Score > conf) count++;
        return count == bestFirst.Count ? bestFirst : bestFirst.Take(count).ToList();
    }

    private void DisposeDetectors()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _main.Dispose();
        lock (_variantsLock)
        {
            foreach (var lazy in _variants.Values)
                if (lazy.IsValueCreated) lazy.Value.Dispose();
            _variants.Clear();
        }
    }

    private static JsonElement? ReadMetrics(string modelFile)
    {
        string path = Path.Combine(Path.GetDirectoryName(modelFile)!, "metrics.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
