namespace DigitMl.Pipelines.Data;

/// <summary>One image of a YOLO dataset with its objects (boxes in pixels of the image as stored on disk, after EXIF orientation).</summary>
public sealed record YoloSample(string ImagePath, int Width, int Height, IReadOnlyList<LabeledBox> Objects);
