namespace DigitMl.Experiments.Serve;

/// <summary>
/// The options of one <c>POST /v1/detect</c> request; null means the model's own setting. A new request option
/// (for example the inference mode or the page turn of whole-page reading) is one property here plus one entry in
/// <see cref="DetectParameterReader.Parameters"/>, and is handed to the detector in <see cref="ServedModel.Detect"/>.
/// </summary>
public sealed record DetectParameters
{
    public static DetectParameters Defaults { get; } = new();

    /// <summary>Keep detections scoring above this (0 &lt;= conf &lt; 1).</summary>
    public float? Confidence { get; init; }

    /// <summary>NMS: drop a box overlapping a better one of its class by more than this (0 &lt; iou &lt;= 1).</summary>
    public float? IoU { get; init; }

    /// <summary>At most this many detections, best first.</summary>
    public int? MaxDetections { get; init; }

    /// <summary>How the image meets the network: auto, letterbox, native or tiles (<see cref="DigitMl.Scoring.InferencePlanner"/>).</summary>
    public DigitMl.Scoring.InferenceMode? Inference { get; init; }

    /// <summary>Page turn by a vote of all digits: auto, on or off (docs/orientation.md).</summary>
    public DigitMl.Scoring.PageOrientationMode? Orientation { get; init; }
}
