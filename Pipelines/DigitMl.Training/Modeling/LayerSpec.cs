namespace DigitMl.Modeling;

/// <summary>
/// One row of the YOLOv8 layer table, with nominal (scale 1.0) channels and repeats.
/// <paramref name="From"/>: input layer indices, -1 meaning the previous layer.
/// </summary>
public sealed record LayerSpec(int Index, int[] From, int Repeats, LayerKind Kind, int Channels = 0, int Kernel = 1, int Stride = 1, bool Shortcut = false);
