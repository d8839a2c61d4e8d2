namespace DigitMl.Modeling;

/// <summary>The YOLOv8 detection layer table (backbone 0-9, neck 10-21, head 22) at nominal size.</summary>
public static class YoloV8Architecture
{
    public static IReadOnlyList<long> Strides { get; } = [8, 16, 32];

    /// <summary>Layers whose outputs feed the Detect head (P3, P4, P5).</summary>
    public static IReadOnlyList<int> HeadInputs { get; } = [15, 18, 21];

    public static IReadOnlyList<LayerSpec> Layers { get; } =
    [
        new(0, [-1], 1, LayerKind.Conv, 64, 3, 2),
        new(1, [-1], 1, LayerKind.Conv, 128, 3, 2),
        new(2, [-1], 3, LayerKind.C2f, 128, Shortcut: true),
        new(3, [-1], 1, LayerKind.Conv, 256, 3, 2),
        new(4, [-1], 6, LayerKind.C2f, 256, Shortcut: true),
        new(5, [-1], 1, LayerKind.Conv, 512, 3, 2),
        new(6, [-1], 6, LayerKind.C2f, 512, Shortcut: true),
        new(7, [-1], 1, LayerKind.Conv, 1024, 3, 2),
        new(8, [-1], 3, LayerKind.C2f, 1024, Shortcut: true),
        new(9, [-1], 1, LayerKind.Sppf, 1024, 5),
        new(10, [-1], 1, LayerKind.Upsample),
        new(11, [-1, 6], 1, LayerKind.Concat),
        new(12, [-1], 3, LayerKind.C2f, 512),
        new(13, [-1], 1, LayerKind.Upsample),
        new(14, [-1, 4], 1, LayerKind.Concat),
        new(15, [-1], 3, LayerKind.C2f, 256),
        new(16, [-1], 1, LayerKind.Conv, 256, 3, 2),
        new(17, [-1, 12], 1, LayerKind.Concat),
        new(18, [-1], 3, LayerKind.C2f, 512),
        new(19, [-1], 1, LayerKind.Conv, 512, 3, 2),
        new(20, [-1, 9], 1, LayerKind.Concat),
        new(21, [-1], 3, LayerKind.C2f, 1024),
        new(22, [15, 18, 21], 1, LayerKind.Detect),
    ];

    /// <summary>Output channels of every layer for a scale (the Detect entry holds 4*regMax+nc).</summary>
    public static long[] OutputChannels(YoloV8Scale scale, int numClasses, int regMax = 16)
    {
        ArgumentNullException.ThrowIfNull(scale);
        var channels = new long[Layers.Count];
        foreach (var spec in Layers)
        {
            channels[spec.Index] = spec.Kind switch
            {
                LayerKind.Conv or LayerKind.C2f or LayerKind.Sppf => scale.Channels(spec.Channels),
                LayerKind.Upsample => channels[spec.Index - 1],
                LayerKind.Concat => spec.From.Sum(f => channels[f < 0 ? spec.Index + f : f]),
                LayerKind.Detect => 4L * regMax + numClasses,
                _ => throw new InvalidOperationException($"Unknown layer kind {spec.Kind}."),
            };
        }
        return channels;
    }
}
