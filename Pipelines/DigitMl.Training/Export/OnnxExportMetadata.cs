namespace DigitMl.Export;

/// <summary>
/// What the exporter writes into the ONNX metadata besides the graph: class names in index order,
/// the square input size, the batch size recorded for consumers (the batch axis itself stays dynamic)
/// and a hash of the training configuration.
/// </summary>
public sealed record OnnxExportMetadata(IReadOnlyList<string> Names, int ImageSize, int Batch = 1, string? ConfigHash = null)
{
    public string Description { get; init; } = "DigitMl YOLOv8 digit detector";
}
