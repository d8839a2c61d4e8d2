using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace DigitMl.Tests.Data;

/// <summary>
/// Writes tiny images byte by byte for the fixture datasets: PNG (gray, RGB, RGBA: exact colour types), 24-bit BMP,
/// and through SkiaSharp JPEG (optionally with an EXIF orientation segment we write ourselves) and WebP.
/// </summary>
internal static class FixtureImages
{
    public delegate (byte R, byte G, byte B, byte A) PixelAt(int x, int y);

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    /// <summary>PNG with colour type 0 (gray, channels 1), 2 (RGB, channels 3) or 6 (RGBA, channels 4).</summary>
    public static byte[] Png(int width, int height, int channels, PixelAt pixel)
    {
        byte colorType = channels switch { 1 => 0, 3 => 2, 4 => 6, _ => throw new ArgumentOutOfRangeException(nameof(channels)) };
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int x = 0; x < width; x++)
            {
                var (r, g, b, a) = pixel(x, y);
                if (channels == 1) raw.WriteByte(r);
                else raw.Write(channels == 3 ? [r, g, b] : [r, g, b, a]);
            }
        }
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) raw.WriteTo(z);

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        header[9] = colorType;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Uncompressed 24-bit bottom-up BMP.</summary>
    public static byte[] Bmp(int width, int height, PixelAt pixel)
    {
        int rowSize = ((width * 3) + 3) & ~3;
        int size = 54 + (rowSize * height);
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), rowSize * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + ((height - 1 - y) * rowSize);
            for (int x = 0; x < width; x++)
            {
                var (r, g, b, _) = pixel(x, y);
                (bmp[row + (x * 3)], bmp[row + (x * 3) + 1], bmp[row + (x * 3) + 2]) = (b, g, r);
            }
        }
        return bmp;
    }

    public static byte[] Jpeg(int width, int height, PixelAt pixel) => Encode(width, height, pixel, SKEncodedImageFormat.Jpeg, 95);

    public static byte[] Webp(int width, int height, PixelAt pixel) => Encode(width, height, pixel, SKEncodedImageFormat.Webp, 100);

    /// <summary>
    /// The JPEG with its APP0 segment replaced by an APP1 Exif segment holding only the Orientation tag (0x0112):
    /// "Exif\0\0", a big-endian TIFF header, one IFD with one SHORT entry.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("not a JPEG", nameof(jpeg));
        int rest = 2;
        if (jpeg[2] == 0xFF && jpeg[3] == 0xE0) rest = 4 + ((jpeg[4] << 8) | jpeg[5]);
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big endian, IFD0 at offset 8
            0x00, 0x01,                                             // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,         // tag Orientation, type SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,                                 // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [0xFF, 0xD8, .. segment, .. jpeg.AsSpan(rest)];
    }

    private static byte[] Encode(int width, int height, PixelAt pixel, SKEncodedImageFormat format, int quality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b, _) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        byte[] typeAndData = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typeAndData);
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in typeAndData) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        BinaryPrimitives.WriteUInt32BigEndian(number, crc ^ 0xFFFFFFFFu);
        png.Write(number);
    }
}
