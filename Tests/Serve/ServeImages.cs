using System.Buffers.Binary;
using System.IO.Compression;
using DigitMl.Data;
using SkiaSharp;

namespace DigitMl.Tests.Serve;

/// <summary>Images to send the service: a scene in each accepted format, truncated copies and a decompression bomb.</summary>
internal static class ServeImages
{
    /// <summary>The scene re-encoded: "png" as it is, "jpeg" and "webp" through SkiaSharp, "bmp" as a 24-bit BMP (Skia writes none).</summary>
    public static byte[] Encode(string pngPath, string format)
    {
        byte[] png = File.ReadAllBytes(pngPath);
        if (format == "png") return png;
        if (format == "bmp") return Bmp(ImageDecoder.Decode(png));
        using var bitmap = SKBitmap.Decode(png);
        using var image = SKImage.FromBitmap(bitmap);
        var skFormat = format == "jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp;
        using var data = image.Encode(skFormat, 95);
        return data.ToArray();
    }

    /// <summary>Scenes of one size laid out in a grid (row-major), as one PNG: a larger page than any single scene.</summary>
    public static byte[] Mosaic(IReadOnlyList<string> pngPaths, int columns)
    {
        var scenes = pngPaths.Select(p => ImageDecoder.Decode(File.ReadAllBytes(p))).ToList();
        int w = scenes[0].Width, h = scenes[0].Height, rows = (scenes.Count + columns - 1) / columns;
        var page = new RgbImage(w * columns, h * rows);
        for (int i = 0; i < scenes.Count; i++)
        {
            int x0 = i % columns * w, y0 = i / columns * h;
            for (int y = 0; y < h; y++)
                Array.Copy(scenes[i].Pixels, y * w * 3, page.Pixels, (((y0 + y) * page.Width) + x0) * 3, w * 3);
        }

        return ImageEncoder.EncodePng(page);
    }

    /// <summary>Uncompressed bottom-up 24-bit BMP.</summary>
    public static byte[] Bmp(RgbImage image)
    {
        int rowBytes = ((image.Width * 3) + 3) & ~3;
        int size = 54 + (rowBytes * image.Height);
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        for (int y = 0; y < image.Height; y++)
        {
            int row = 54 + ((image.Height - 1 - y) * rowBytes);
            for (int x = 0; x < image.Width; x++)
            {
                int p = ((y * image.Width) + x) * 3;
                bmp[row + (x * 3)] = image.Pixels[p + 2];
                bmp[row + (x * 3) + 1] = image.Pixels[p + 1];
                bmp[row + (x * 3) + 2] = image.Pixels[p];
            }
        }

        return bmp;
    }

    /// <summary>
    /// A real decompression bomb: a valid 8-bit grayscale PNG of <paramref name="width"/> x <paramref name="height"/>
    /// white pixels whose IDAT compresses to a tiny fraction (10000 x 10000 = 100 megapixels in about 100 KB).
    /// </summary>
    public static byte[] BombPng(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 0; // grayscale
        WriteChunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[width + 1]; // filter byte 0, then the pixels
                Array.Fill(row, (byte)255, 1, width);
                for (int y = 0; y < height; y++) zlib.Write(row);
            }

            WriteChunk(png, "IDAT", compressed.ToArray());
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        byte[] typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeBytes, data));
        stream.Write(crc);
    }

    private static uint Crc32(byte[] type, byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in type.Concat(data))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }

        return ~crc;
    }
}
