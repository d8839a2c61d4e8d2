using System.Runtime.CompilerServices;
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
        var rgb = new byte[width * height * 3];
        Convert(image.Pixels, rgb, bgra ? 2 : 0, bgra ? 0 : 2);
        return new RgbImage(width, height, rgb);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Convert(ReadOnlySpan<byte> source, byte[] rgb, int r, int b)
    {
        fixed (byte* src = source)
        fixed (byte* dst = rgb)
        {
            byte* s = src, d = dst, end = dst + rgb.Length;
            for (; d < end; s += 4, d += 3)
            {
                int clear = 255 - s[3];
                if (clear == 0)
                {
                    (d[0], d[1], d[2]) = (s[r], s[1], s[b]);
                    continue;
                }

                d[0] = (byte)Math.Min(255, s[r] + clear);
                d[1] = (byte)Math.Min(255, s[1] + clear);
                d[2] = (byte)Math.Min(255, s[b] + clear);
            }
        }
    }
}
