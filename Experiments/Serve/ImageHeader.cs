using SkiaSharp;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// Format and size of an uploaded image, read from its first bytes and its header only (no pixel is decoded), so a
/// non-image or an image of too many pixels is refused before any pixel memory is allocated.
/// </summary>
public sealed record ImageHeader(string Format, int Width, int Height)
{
    /// <summary>The formats the service accepts: what a browser and a camera send.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["png", "jpeg", "bmp", "webp"];

    /// <summary>The format from the file signature, or null when it is none of <see cref="Formats"/>.</summary>
    public static string? SniffFormat(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "jpeg";
        if (bytes.Length >= 14 && bytes[0] == 'B' && bytes[1] == 'M') return "bmp";
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return "webp";
        return null;
    }

    /// <summary>Reads the header; a <see cref="ServiceProblemException"/> (400) when the bytes are no image of an accepted format or the header is cut off.</summary>
    public static ImageHeader Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string format = SniffFormat(bytes)
            ?? throw ServiceProblemException.NotAnImage($"the {bytes.Length} bytes received are not a PNG, JPEG, BMP or WebP image (unknown file signature)");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw ServiceProblemException.CorruptImage($"the {format.ToUpperInvariant()} header cannot be read ({bytes.Length} bytes): the file is truncated or corrupt");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
            throw ServiceProblemException.CorruptImage($"the {format.ToUpperInvariant()} header declares a zero size ({width}x{height})");
        bool turned = codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        return turned ? new ImageHeader(format, height, width) : new ImageHeader(format, width, height);
    }
}
