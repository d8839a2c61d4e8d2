using System.Text.Json;
using System.Text.Json.Serialization;
using DigitMl.Data;

namespace DigitMl.Experiments.Serve;

/// <summary>Answer of <c>POST /v1/detect</c>. Detections best first; <see cref="Text"/> and <see cref="Lines"/> in reading order.</summary>
public sealed record DetectResponse(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("image")] ImageInfo Image,
    [property: JsonPropertyName("detections")] IReadOnlyList<DetectionInfo> Detections,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("lines")] IReadOnlyList<string> Lines,
    [property: JsonPropertyName("thresholds")] ThresholdInfo Thresholds,
    [property: JsonPropertyName("time_ms")] double TimeMs);

/// <summary>One detection: class name and index, confidence, box corners in pixels of the uploaded image.</summary>
public sealed record DetectionInfo(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("class_id")] int ClassId,
    [property: JsonPropertyName("score")] float Score,
    [property: JsonPropertyName("box")] BoxInfo Box)
{
    public static DetectionInfo From(Detection d) => new(d.Label, d.ClassId, d.Score, new BoxInfo(d.Box.X0, d.Box.Y0, d.Box.X1, d.Box.Y1));
}

/// <summary>(x0, y0) top-left and (x1, y1) bottom-right corner, image pixels.</summary>
public sealed record BoxInfo(
    [property: JsonPropertyName("x0")] float X0,
    [property: JsonPropertyName("y0")] float Y0,
    [property: JsonPropertyName("x1")] float X1,
    [property: JsonPropertyName("y1")] float Y1);

public sealed record ImageInfo(
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("format")] string Format);

public sealed record ThresholdInfo(
    [property: JsonPropertyName("conf")] float Confidence,
    [property: JsonPropertyName("iou")] float IoU,
    [property: JsonPropertyName("max_det")] int MaxDetections);

/// <summary>Answer of <c>GET /v1/model</c>.</summary>
public sealed record ModelInfo(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("experiment")] string? Experiment,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("classes")] IReadOnlyList<string> Classes,
    [property: JsonPropertyName("image_size")] int ImageSize,
    [property: JsonPropertyName("thresholds")] ThresholdInfo Thresholds,
    [property: JsonPropertyName("max_image_pixels")] long MaxImagePixels,
    [property: JsonPropertyName("max_body_bytes")] long MaxBodyBytes,
    [property: JsonPropertyName("image_formats")] IReadOnlyList<string> ImageFormats,
    [property: JsonPropertyName("parameters")] IReadOnlyList<ParameterInfo> Parameters,
    [property: JsonPropertyName("metrics")] JsonElement? Metrics,
    [property: JsonPropertyName("loaded_at_utc")] DateTimeOffset LoadedAtUtc);

public sealed record ParameterInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("accepts")] string Accepts);
