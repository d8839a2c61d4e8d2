namespace DigitMl.Data;

/// <summary>
/// One image of a YOLO dataset with its objects, boxes in pixels.
/// <para><see cref="RotationDegrees"/> (0, 90, 180, 270; clockwise) means the sample is the file at
/// <see cref="ImagePath"/> turned by that angle: <see cref="Width"/>, <see cref="Height"/> and
/// <see cref="Objects"/> already describe the turned image. Rotation augmentation produces such samples
/// without writing images to disk; <see cref="SampleImages.Load"/> applies the turn when decoding.</para>
/// </summary>
public sealed record YoloSample(string ImagePath, int Width, int Height, IReadOnlyList<LabeledBox> Objects, int RotationDegrees = 0);
