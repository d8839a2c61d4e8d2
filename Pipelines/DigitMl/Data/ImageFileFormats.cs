namespace DigitMl.Data;

/// <summary>Which image files a YOLO dataset may contain, the Ultralytics label-path rule, and a cheap truncation check.</summary>
public static class ImageFileFormats
{
    /// <summary>Extensions read as images (case-insensitive).</summary>
    public static IReadOnlyList<string> Supported { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    // Image formats Ultralytics accepts that our decoder does not: reported, never silently ignored.
    private static readonly HashSet<string> KnownUnsupported =
        new([".tif", ".tiff", ".dng", ".mpo", ".pfm", ".heic", ".heif", ".avif", ".gif"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> SupportedSet = new(Supported, StringComparer.OrdinalIgnoreCase);

    public static bool IsSupportedImage(string path) => SupportedSet.Contains(Path.GetExtension(path));

    /// <summary>An image format we recognise as an image but cannot decode.</summary>
    public static bool IsUnsupportedImage(string path) => KnownUnsupported.Contains(Path.GetExtension(path));

    /// <summary>
    /// The Ultralytics rule: the last <c>/images/</c> folder in the path becomes <c>/labels/</c> and the extension
    /// becomes <c>.txt</c>. Without an <c>images</c> folder the label file sits next to the image.
    /// </summary>
    public static string LabelPathFor(string imagePath)
    {
        string sep = Path.DirectorySeparatorChar.ToString();
        string images = sep + "images" + sep, labels = sep + "labels" + sep;
        string normalized = imagePath.Replace(Path.AltDirectorySeparatorChar, Path.DirectorySeparatorChar);
        int at = normalized.LastIndexOf(images, StringComparison.Ordinal);
        if (at >= 0) normalized = string.Concat(normalized.AsSpan(0, at), labels, normalized.AsSpan(at + images.Length));
        return Path.ChangeExtension(normalized, ".txt");
    }

    /// <summary>
    /// Null when the file ends the way its format requires, else why it looks truncated: PNG must contain its IEND chunk,
    /// JPEG its end-of-image marker near the end, BMP and WebP must be at least as long as their header says.
    /// </summary>
    public static string? FindTruncation(string path)
    {
        using var file = File.OpenRead(path);
        long length = file.Length;
        Span<byte> head = stackalloc byte[12];
        int headLength = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..headLength];
        int tailLength = (int)Math.Min(length, 1024);
        var tail = new byte[tailLength];
        file.Seek(length - tailLength, SeekOrigin.Begin);
        file.ReadExactly(tail);

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
            return tail.AsSpan().IndexOf("IEND"u8) >= 0 ? null : "truncated PNG (no IEND chunk)";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]))
            return tail.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0 ? null : "truncated JPEG (no end-of-image marker)";
        if (head.Length >= 6 && head[0] == 'B' && head[1] == 'M')
        {
            uint declared = BitConverter.ToUInt32(head[2..6]);
            return declared > length ? $"truncated BMP ({length} of {declared} bytes)" : null;
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            long declared = BitConverter.ToUInt32(head[4..8]) + 8L;
            return declared > length ? $"truncated WebP ({length} of {declared} bytes)" : null;
        }
        return null;
    }
}
