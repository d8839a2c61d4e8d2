namespace DigitMl.Modeling;

/// <summary>Module types of the YOLOv8 layer table.</summary>
public enum LayerKind
{
    Conv,
    C2f,
    Sppf,
    Upsample,
    Concat,
    Detect,
}
