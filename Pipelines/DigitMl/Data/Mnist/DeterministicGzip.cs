using System.IO.Compression;
using ICSharpCode.SharpZipLib.Checksum;

namespace DigitMl.Data.Mnist;

/// <summary>
/// Writes gzip files whose bytes depend only on the content: a fixed header (no file name, MTIME 0,
/// OS "unknown") around a <see cref="DeterministicDeflate"/> stream. GZipStream's header carries the OS
/// code of the platform it runs on and its zlib picks matches differently per CPU architecture, so the
/// same data would hash differently on other machines.
/// </summary>
public static class DeterministicGzip
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown)
        output.Write([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
        output.Write(DeterministicDeflate.Compress(data, DeterministicDeflate.DefaultLevel));
        Span<byte> trailer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32(data));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)data.Length));
        output.Write(trailer);
        return output.ToArray();
    }

    public static byte[] Decompress(Stream compressed)
    {
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>CRC-32 (ISO 3309, as gzip and PNG use it).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Update(new ArraySegment<byte>(data.ToArray()));
        return (uint)crc.Value;
    }
}
