using SkiaSharp;

namespace DigitMl.Data;

/// <summary>
/// Decodes image files (PNG, JPEG, BMP, WebP, GIF: whatever SkiaSharp's codecs read) into <see cref="RgbImage"/>.
/// Grayscale and RGBA sources become RGB (alpha composited over white); JPEG EXIF orientation is applied.
/// </summary>
public static class ImageDecoder
{
    public static RgbImage Decode(string path)
    {
        using var stream = OpenRead(path);
        return Decode(stream, path);
    }

    public static RgbImage Decode(byte[] bytes, string sourceName = "image bytes")
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Decode(stream, sourceName);
    }

    public static RgbImage Decode(Stream stream, string sourceName = "image stream")
    {
        using var skStream = new SKManagedStream(stream);
        using var codec = SKCodec.Create(skStream)
            ?? throw new InvalidDataException($"{sourceName}: not a readable image (unknown or corrupt format)");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (info.Width <= 0 || info.Height <= 0)
            throw new InvalidDataException($"{sourceName}: image has zero size");
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException($"{sourceName}: could not decode image ({result})");
        if (result == SKCodecResult.IncompleteInput)
            throw new InvalidDataException($"{sourceName}: image data is truncated");
        var image = ToRgb(bitmap);
        return ApplyOrientation(image, codec.EncodedOrigin);
    }

    /// <summary>Width and height as the image will be decoded (after EXIF orientation), without decoding pixels.</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        using var stream = OpenRead(path);
        using var skStream = new SKManagedStream(stream);
        using var codec = SKCodec.Create(skStream)
            ?? throw new InvalidDataException($"{path}: not a readable image (unknown or corrupt format)");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        return SwapsAxes(codec.EncodedOrigin) ? (h, w) : (w, h);
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    private static RgbImage ToRgb(SKBitmap rgba)
    {
        var source = rgba.GetPixelSpan();
        var rgb = new byte[rgba.Width * rgba.Height * 3];
        for (int i = 0, j = 0; i < source.Length; i += 4, j += 3)
        {
            int alpha = source[i + 3];
            if (alpha == 255)
            {
                rgb[j] = source[i];
                rgb[j + 1] = source[i + 1];
                rgb[j + 2] = source[i + 2];
            }
            else
            {
                // composite over white: transparent regions of scanned digits are paper
                rgb[j] = (byte)(((source[i] * alpha) + (255 * (255 - alpha)) + 127) / 255);
                rgb[j + 1] = (byte)(((source[i + 1] * alpha) + (255 * (255 - alpha)) + 127) / 255);
                rgb[j + 2] = (byte)(((source[i + 2] * alpha) + (255 * (255 - alpha)) + 127) / 255);
            }
        }
        return new RgbImage(rgba.Width, rgba.Height, rgb);
    }

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static RgbImage ApplyOrientation(RgbImage image, SKEncodedOrigin origin) => origin switch
    {
        SKEncodedOrigin.TopRight => ImageRotation.MirrorHorizontal(image),
        SKEncodedOrigin.BottomRight => ImageRotation.RotateClockwise(image, 180),
        SKEncodedOrigin.BottomLeft => ImageRotation.MirrorHorizontal(ImageRotation.RotateClockwise(image, 180)),
        SKEncodedOrigin.LeftTop => ImageRotation.MirrorHorizontal(ImageRotation.RotateClockwise(image, 90)),
        SKEncodedOrigin.RightTop => ImageRotation.RotateClockwise(image, 90),
        SKEncodedOrigin.RightBottom => ImageRotation.MirrorHorizontal(ImageRotation.RotateClockwise(image, 270)),
        SKEncodedOrigin.LeftBottom => ImageRotation.RotateClockwise(image, 270),
        _ => image,
    };
}
