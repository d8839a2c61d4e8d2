using DigitMl.Scoring;

namespace DigitMl.Experiments.Serve;

/// <summary>What one `serve` process serves and within which limits.</summary>
public sealed record ServeOptions
{
    /// <summary>Default largest request body: 20 MiB (a 12-megapixel phone JPEG is 3-6 MB).</summary>
    public const long DefaultMaxBodyBytes = 20L * 1024 * 1024;

    /// <summary>Most detections a request may ask for (bounds the response size).</summary>
    public const int MaxDetectionsLimit = 1000;

    /// <summary>The model to serve: a fixed path or an experiment's best pointer.</summary>
    public required ModelSource Model { get; init; }

    /// <summary>Follow the best pointer: load the version it names whenever it changes (only for <see cref="ModelSource.FromBestPointer"/>).</summary>
    public bool ReloadOnBestChange { get; init; }

    public TimeSpan ReloadPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>Images with more pixels are refused from their header, before decoding (decompression bombs).</summary>
    public long MaxImagePixels { get; init; } = ScoringOptions.DefaultMaxImagePixels;

    /// <summary>Detections running at once; more requests wait in a queue. Inference is CPU-bound: default one per core.</summary>
    public int MaxConcurrentDetections { get; init; } = Environment.ProcessorCount;

    /// <summary>Requests that may wait for a detection slot; beyond that the service answers 503.</summary>
    public int QueueLimit { get; init; } = 512;

    /// <summary>Threshold variants (other IoU values, lower conf, more detections) kept loaded per model.</summary>
    public int MaxThresholdVariants { get; init; } = 4;

    public void Validate()
    {
        if (MaxBodyBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxBodyBytes), MaxBodyBytes, "body limit must be at least 1 KiB");
        if (MaxImagePixels < 1) throw new ArgumentOutOfRangeException(nameof(MaxImagePixels), MaxImagePixels, "pixel limit must be positive");
        if (MaxConcurrentDetections < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentDetections), MaxConcurrentDetections, "must be at least 1");
        // DigitDetector keeps at most 4 engines per core in its pool: more detections at once would build new engines per call
        if (MaxConcurrentDetections > 4 * Environment.ProcessorCount)
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrentDetections), MaxConcurrentDetections, $"at most {4 * Environment.ProcessorCount} (4 per core) detections can run at once");
        if (QueueLimit < 0) throw new ArgumentOutOfRangeException(nameof(QueueLimit), QueueLimit, "must not be negative");
        if (ReloadPollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ReloadPollInterval), ReloadPollInterval, "must be positive");
        if (ReloadOnBestChange && Model.BestPointer is null)
            throw new ArgumentException("reloading follows an experiment's best pointer: it needs the default model, not --model", nameof(ReloadOnBestChange));
    }
}
