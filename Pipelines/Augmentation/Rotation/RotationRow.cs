namespace DigitMl.Pipelines.Augmentation.Rotation;

/// <summary>
/// One output row of <see cref="RotationTransformer"/>: the YOLO reader's columns with the same names and
/// types (ImagePath text, Labels text vector, Boxes float vector x0,y0,x1,y1 per box, Width, Height,
/// Rotation in degrees clockwise).
/// </summary>
public sealed class RotationRow
{
    public string ImagePath { get; set; } = "";

    public string[] Labels { get; set; } = [];

    public float[] Boxes { get; set; } = [];

    public float Width { get; set; }

    public float Height { get; set; }

    public float Rotation { get; set; }
}
