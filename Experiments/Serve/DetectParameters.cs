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
}
