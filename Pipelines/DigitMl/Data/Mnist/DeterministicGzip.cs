using System.IO.Compression;

namespace DigitMl.Data.Mnist;

/// <summary>
/// Writes gzip files whose bytes depend only on the content: a fixed header (no file name, MTIME 0,
/// OS "unknown") around a <see cref="DeterministicDeflate"/> stream. GZipStream's header carries the OS
/// code of the platform it runs on and its zlib picks matches differently per CPU architecture, so the
/// same data would hash differently on other machines.
/// </summary>
public static class DeterministicGzip
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=2 (max compression) OS=255 (unknown)
        output.Write([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
        output.Write(DeterministicDeflate.Compress(data));
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

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xffffffffu;
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
