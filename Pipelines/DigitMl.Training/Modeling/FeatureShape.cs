namespace DigitMl.Modeling;

/// <summary>Shape of one feature map of a single image (the batch dimension is left out).</summary>
public readonly record struct FeatureShape(long Channels, long Height, long Width)
{
    public override string ToString() => $"[{Channels}, {Height}, {Width}]";
}
