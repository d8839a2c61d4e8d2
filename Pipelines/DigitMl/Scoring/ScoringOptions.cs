namespace DigitMl.Scoring;

/// <summary>
/// Options of the scoring chain. <see cref="ImageSize"/> and <see cref="Names"/> default to the ONNX model's
/// metadata (<c>imgsz</c>, <c>names</c>).
/// </summary>
public sealed record ScoringOptions
{
    /// <summary>Default limit on decoded image size: 50 megapixels (an RGB copy of that is 150 MB).</summary>
    public const long DefaultMaxImagePixels = 50_000_000;

    public float Confidence { get; init; } = 0.25f;

    public float IoU { get; init; } = 0.7f;

    public int MaxDetections { get; init; } = 300;

    public bool ClassAgnostic { get; init; }

    /// <summary>Every class above the threshold per anchor (as validation and mAP need), not only the best one. Batch detector only.</summary>
    public bool MultiLabel { get; init; }

    public int? ImageSize { get; init; }

    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Images with more pixels are rejected before decoding.</summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>ONNX Runtime intra-op threads; default: all cores.</summary>
    public int? IntraOpThreads { get; init; }

    public DetectionThresholds Thresholds => new(Confidence, IoU, MaxDetections, ClassAgnostic);
}
