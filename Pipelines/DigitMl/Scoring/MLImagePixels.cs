using DigitMl.Data;
using Microsoft.ML.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Reads ML.NET's <see cref="MLImage"/> (BGRA or RGBA, 8 bits per channel, as SkiaSharp decodes it) into the
/// <see cref="RgbImage"/> scoring uses. Transparent pixels are composited over white like the training decoder does;
/// MLImage holds SkiaSharp's premultiplied pixels, so a channel becomes c + (255 - alpha). MLImage does not apply
/// JPEG EXIF orientation (the path input does).
/// </summary>
public static class MLImagePixels
{
    public static RgbImage ToRgb(MLImage image, string sourceName, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(image);
        int width = image.Width, height = image.Height;
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"{sourceName}: image has zero size ({width}x{height})");
        if ((long)width * height > maxPixels)
            throw new InvalidDataException($"{sourceName}: image is {width}x{height} = {(long)width * height} pixels, above the limit of {maxPixels}");
        if (image.BitsPerPixel != 32)
            throw new InvalidDataException($"{sourceName}: image has {image.BitsPerPixel} bits per pixel (expected 32-bit BGRA or RGBA)");
        bool bgra = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => true,
            MLPixelFormat.Rgba32 => false,
            _ => throw new InvalidDataException($"{sourceName}: unsupported pixel format {image.PixelFormat}"),
        };
        var source = image.Pixels;
        var rgb = new byte[width * height * 3];
        int r = bgra ? 2 : 0, b = bgra ? 0 : 2;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            int clear = 255 - source[i + 3];
            rgb[j] = (byte)Math.Min(255, source[i + r] + clear);
            rgb[j + 1] = (byte)Math.Min(255, source[i + 1] + clear);
            rgb[j + 2] = (byte)Math.Min(255, source[i + b] + clear);
        }

        return new RgbImage(width, height, rgb);
    }
}
