using StbImageSharp;
using StbImageWriteSharp;

namespace DigitMl.Data.Scenes;

/// <summary>
/// JPEG compression artefacts: the image encoded as baseline JPEG at a quality (1..100; chroma subsampled 4:2:0
/// below 90) and decoded again. Both codecs are managed code (stb_image_write and stb_image ports) using only exact
/// arithmetic, so unlike native codecs with per-CPU SIMD paths the result is the same on every machine.
/// </summary>
public static class JpegRoundTrip
{
    public static RgbImage Apply(RgbImage image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Decode(Encode(image, quality));
    }

    public static byte[] Encode(RgbImage image, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var stream = new MemoryStream();
        new ImageWriter().WriteJpg(image.Pixels, image.Width, image.Height, StbImageWriteSharp.ColorComponents.RedGreenBlue, stream, quality);
        return stream.ToArray();
    }

    public static RgbImage Decode(byte[] jpeg)
    {
        var decoded = ImageResult.FromMemory(jpeg, StbImageSharp.ColorComponents.RedGreenBlue);
        return new RgbImage(decoded.Width, decoded.Height, decoded.Data);
    }
}
