using DigitMl.Data;
using SkiaSharp;

namespace DigitMl.Scoring;

/// <summary>
/// Decodes an image for scoring with the same decoder as training (EXIF orientation, gray/RGBA to RGB), after
/// checking its header against a pixel limit so a huge image is refused before any pixel memory is allocated.
/// </summary>
public static class ImageLoading
{
    public static RgbImage Decode(string path, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (InMemoryImages.TryGet(path, out var bytes))
            return Decode(bytes, path, maxPixels);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: image file not found", path);
        var (width, height) = ImageDecoder.ReadSize(path);
        CheckSize(path, width, height, maxPixels);
        return ImageDecoder.Decode(path);
    }

    public static RgbImage Decode(byte[] bytes, string sourceName, long maxPixels)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
            throw new InvalidDataException($"{sourceName}: image data is empty");
        using (var data = SKData.CreateCopy(bytes))
        using (var codec = SKCodec.Create(data))
        {
            if (codec is null)
                throw new InvalidDataException($"{sourceName}: not a readable image (unknown or corrupt format)");
            CheckSize(sourceName, codec.Info.Width, codec.Info.Height, maxPixels);
        }

        return ImageDecoder.Decode(bytes, sourceName);
    }

    private static void CheckSize(string source, int width, int height, long maxPixels)
    {
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"{source}: image has zero size ({width}x{height})");
        if ((long)width * height > maxPixels)
            throw new InvalidDataException($"{source}: image is {width}x{height} = {(long)width * height} pixels, above the limit of {maxPixels}");
    }
}
