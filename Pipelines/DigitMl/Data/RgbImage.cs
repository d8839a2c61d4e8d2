namespace DigitMl.Data;

/// <summary>
/// A decoded image as 8-bit RGB, row-major, interleaved (Pixels.Length == Width * Height * 3).
/// The one in-memory image type shared by data loading, augmentation, training and scoring.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public RgbImage(int width, int height)
        : this(width, height, new byte[width * height * 3])
    {
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }
}
