namespace DigitMl.Data;

/// <summary>
/// Where a source image lands in a letterbox: scaled by <see cref="Scale"/> to <see cref="ResizedWidth"/> x
/// <see cref="ResizedHeight"/> and placed at (<see cref="PadX"/>, <see cref="PadY"/>).
/// </summary>
public readonly record struct LetterboxGeometry(float Scale, int ResizedWidth, int ResizedHeight, int PadX, int PadY)
{
    /// <summary>
    /// As Ultralytics' LetterBox (center, scale up allowed): scale = min(target/source) per axis, resized size rounded
    /// half to even (Python's round), and the padding split with left/top = round(pad/2 - 0.1), i.e. the odd pixel
    /// goes to the right/bottom.
    /// </summary>
    public static LetterboxGeometry Compute(int sourceWidth, int sourceHeight, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        double scale = Math.Min((double)width / sourceWidth, (double)height / sourceHeight);
        int resizedWidth = Math.Clamp((int)Math.Round(sourceWidth * scale, MidpointRounding.ToEven), 1, width);
        int resizedHeight = Math.Clamp((int)Math.Round(sourceHeight * scale, MidpointRounding.ToEven), 1, height);
        int padX = (int)Math.Round(((width - resizedWidth) / 2.0) - 0.1, MidpointRounding.ToEven);
        int padY = (int)Math.Round(((height - resizedHeight) / 2.0) - 0.1, MidpointRounding.ToEven);
        return new LetterboxGeometry((float)scale, resizedWidth, resizedHeight, padX, padY);
    }
}
