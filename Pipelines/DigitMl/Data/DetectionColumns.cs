namespace DigitMl.Data;

/// <summary>
/// Names of the IDataView columns a detection dataset is read from (what <c>LoadFromYoloDataset</c> writes, by
/// default). A trainer or evaluator takes these so data from another source can keep its own column names.
/// </summary>
public sealed record DetectionColumns
{
    public static DetectionColumns Default { get; } = new();

    /// <summary>Text: the image file.</summary>
    public string ImagePath { get; init; } = nameof(YoloDataRow.ImagePath);

    /// <summary>Vector of text: one class name per object.</summary>
    public string Labels { get; init; } = nameof(YoloDataRow.Labels);

    /// <summary>Vector of float: x0, y0, x1, y1 in image pixels per object.</summary>
    public string Boxes { get; init; } = nameof(YoloDataRow.Boxes);

    /// <summary>Optional float: image width in pixels (read from the file when missing).</summary>
    public string Width { get; init; } = nameof(YoloDataRow.Width);

    /// <summary>Optional float: image height in pixels.</summary>
    public string Height { get; init; } = nameof(YoloDataRow.Height);

    /// <summary>Optional float: clockwise quarter turn applied when the image is read (rotation augmentation).</summary>
    public string Rotation { get; init; } = nameof(YoloDataRow.Rotation);
}
