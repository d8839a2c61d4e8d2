using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// Writes turned images as PNG files (lossless) into a cache folder, once: the file name holds a hash of the
/// source's full path, size, modification time and the angle, so a changed source gets a new entry.
/// </summary>
public static class RotatedImageCache
{
    /// <summary>
    /// For a sample with <c>RotationDegrees</c> != 0: writes (if missing) the turned image and returns the
    /// same sample pointing at it with <c>RotationDegrees</c> 0. Unrotated samples are returned as they are.
    /// </summary>
    public static YoloSample Materialize(YoloSample sample, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (ImageRotation.NormalizeQuarterTurns(sample.RotationDegrees) == 0) return sample;
        string path = CachePath(sample, cacheDirectory);
        if (!File.Exists(path))
        {
            var image = SampleImages.Load(sample);
            if (image.Width != sample.Width || image.Height != sample.Height)
                throw new InvalidDataException(
                    $"{sample.ImagePath}: image turned by {sample.RotationDegrees} is {image.Width}x{image.Height}, the sample says {sample.Width}x{sample.Height}");
            Directory.CreateDirectory(cacheDirectory);
            // write then rename, so a concurrent reader never sees half a PNG
            string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, ImageEncoder.EncodePng(image));
            File.Move(temporary, path, overwrite: true);
        }
        return sample with { ImagePath = path, RotationDegrees = 0 };
    }

    /// <summary>Where <see cref="Materialize"/> puts the turned image of this sample.</summary>
    public static string CachePath(YoloSample sample, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var source = new FileInfo(sample.ImagePath);
        if (!source.Exists) throw new FileNotFoundException($"image {sample.ImagePath} does not exist", sample.ImagePath);
        int degrees = ImageRotation.NormalizeQuarterTurns(sample.RotationDegrees) * 90;
        string key = string.Create(CultureInfo.InvariantCulture, $"{source.FullName}|{source.Length}|{source.LastWriteTimeUtc.Ticks}|{degrees}");
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 6));
        string stem = Path.GetFileNameWithoutExtension(sample.ImagePath);
        return Path.Combine(cacheDirectory, string.Create(CultureInfo.InvariantCulture, $"{stem}-{hash}-rot{degrees}.png"));
    }
}
