using SkiaSharp;

namespace DigitMl.Data;

/// <summary>Writes <see cref="RgbImage"/> as PNG (lossless) through SkiaSharp.</summary>
public static class ImageEncoder
{
    public static byte[] EncodePng(RgbImage image)
    {
        using var bitmap = ToBitmap(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static void SavePng(RgbImage image, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, EncodePng(image));
    }

    /// <summary>An RGBA SkiaSharp bitmap with the image's pixels (for drawing on top of it). The caller disposes it.</summary>
    public static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var source = image.Pixels;
        var target = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; j < source.Length; i += 4, j += 3)
        {
            target[i] = source[j];
            target[i + 1] = source[j + 1];
            target[i + 2] = source[j + 2];
            target[i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(target, 0, bitmap.GetPixels(), target.Length);
        return bitmap;
    }
}
