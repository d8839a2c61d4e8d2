namespace DigitMl.Modeling;

/// <summary>
/// A YOLOv8 model size: depth multiplies the repeat count of the C2f blocks, width the channel
/// counts, and <see cref="MaxChannels"/> caps a layer's nominal channels before the width is applied.
/// </summary>
public sealed record YoloV8Scale(string Name, double Depth, double Width, int MaxChannels)
{
    public static YoloV8Scale N { get; } = new("n", 0.33, 0.25, 1024);
    public static YoloV8Scale S { get; } = new("s", 0.33, 0.50, 1024);
    public static YoloV8Scale M { get; } = new("m", 0.67, 0.75, 768);
    public static YoloV8Scale L { get; } = new("l", 1.00, 1.00, 512);
    public static YoloV8Scale X { get; } = new("x", 1.00, 1.25, 512);

    /// <summary>Test scale: channels 8/8/16/32/64, one bottleneck per C2f; builds and runs in milliseconds.</summary>
    public static YoloV8Scale Tiny { get; } = new("tiny", 0.33, 0.0625, 1024);

    public static IReadOnlyList<YoloV8Scale> All { get; } = [N, S, M, L, X, Tiny];

    public static YoloV8Scale Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim().ToLowerInvariant();
        if (key.StartsWith("yolov8", StringComparison.Ordinal))
            key = key["yolov8".Length..];
        return All.FirstOrDefault(s => s.Name == key)
            ?? throw new ArgumentException($"Unknown YOLOv8 scale '{name}': expected one of {string.Join(", ", All.Select(s => s.Name))}.");
    }

    /// <summary>Actual channels of a layer whose nominal (yaml) channel count is <paramref name="nominal"/>.</summary>
    public int Channels(int nominal) => MakeDivisible(Math.Min(nominal, MaxChannels) * Width, 8);

    /// <summary>Actual repeat count of a block whose nominal repeat count is <paramref name="nominal"/>.</summary>
    public int Repeats(int nominal) => nominal > 1 ? Math.Max((int)Math.Round(nominal * Depth, MidpointRounding.ToEven), 1) : nominal;

    /// <summary>Smallest multiple of <paramref name="divisor"/> that is at least <paramref name="value"/>.</summary>
    public static int MakeDivisible(double value, int divisor) => (int)Math.Ceiling(value / divisor) * divisor;

    public override string ToString() => Name;
}
