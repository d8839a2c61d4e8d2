using ICSharpCode.SharpZipLib.Zip.Compression;
using ICSharpCode.SharpZipLib.Zip.Compression.Streams;

namespace DigitMl.Data.Mnist;

/// <summary>
/// DEFLATE (RFC 1951) and zlib (RFC 1950) streams whose bytes depend only on the input: SharpZipLib's managed
/// deflater, its version pinned in Directory.Packages.props. The runtime's zlib (zlib-ng) and Skia's zlib choose
/// matches differently per CPU architecture and version, so their bytes differ between machines (docs/scenes.md
/// has the measurement). A SharpZipLib upgrade that changes the bytes fails the golden-hash tests.
/// </summary>
public static class DeterministicDeflate
{
    /// <summary>
    /// Level 3, the deflater's fast matcher, for files written by the thousand (scene PNGs): on 160 px scenes about as
    /// quick as the hand-written encoder it replaced and 4% smaller. Level 6 is 3% smaller again for 2.7 times the time.
    /// </summary>
    public const int FastLevel = 3;

    /// <summary>Level 6, zlib's default: for files written once and shipped (the MNIST .gz files).</summary>
    public const int DefaultLevel = 6;

    /// <summary>Raw DEFLATE stream of <paramref name="data"/>, as gzip wraps it.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data, int level) => Deflate(data, level, zlibWrapper: false);

    /// <summary>zlib stream (2-byte header, DEFLATE, big-endian Adler-32), as PNG's IDAT needs.</summary>
    public static byte[] CompressZlib(ReadOnlySpan<byte> data, int level) => Deflate(data, level, zlibWrapper: true);

    private static byte[] Deflate(ReadOnlySpan<byte> data, int level, bool zlibWrapper)
    {
        using var output = new MemoryStream(Math.Max(64, data.Length / 2));
        using (var deflate = new DeflaterOutputStream(output, new Deflater(level, noZlibHeaderOrFooter: !zlibWrapper)) { IsStreamOwner = false })
            deflate.Write(data);
        return output.ToArray();
    }
}
