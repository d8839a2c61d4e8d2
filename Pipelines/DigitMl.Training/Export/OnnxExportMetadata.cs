namespace DigitMl.Export;

/// <summary>
/// What the exporter writes besides the weights: class names in index order (the dataset's <c>nc</c> names), the
/// training input size (<c>imgsz</c>), the batch size recorded for consumers (the batch axis itself stays dynamic)
/// and a hash of the training configuration.
/// </summary>
public sealed record OnnxExportMetadata(IReadOnlyList<string> Names, int ImageSize, int Batch = 1, string? ConfigHash = null)
{
    public string Description { get; init; } = "DigitMl YOLOv8 digit detector";

    /// <summary>
    /// 1 (plain classes) or 4 (turn-aware: the class branch has <c>4 * nc</c> turn-major channels; the export writes
    /// <c>output0</c> as the max over turns, a second output <c>turns</c> and the metadata <c>orientations: 4</c>).
    /// See docs/orientation.md.
    /// </summary>
    public int Orientations { get; init; } = 1;

    /// <summary>
    /// Input <c>[batch, 3, height, width]</c> with the anchors computed in the graph, so the model runs at any multiple
    /// of 32 (native-size inference of large images). False writes the fixed <c>[batch, 3, imgsz, imgsz]</c> graph
    /// with constant anchors, for consumers that need static shapes.
    /// </summary>
    public bool DynamicSpatialAxes { get; init; } = true;
}
