using System.Buffers.Binary;
using DigitMl.Pipelines.Data.Mnist;

namespace DigitMl.Pipelines.Data.Scenes;

/// <summary>
/// Encodes an <see cref="RgbImage"/> as an 8-bit RGB PNG whose bytes depend only on the pixels: per-row
/// filter chosen by the usual minimum-sum-of-absolute-differences rule, IDAT compressed with
/// <see cref="DeterministicDeflate"/>. (Skia's and the runtime's zlib produce machine-dependent bytes.)
/// </summary>
public static class ScenePng
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var filtered = FilterRows(image.Pixels, image.Width * 3, image.Height);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        using var output = new MemoryStream();
        output.Write(Signature);
        WriteChunk(output, "IHDR"u8, header);
        WriteChunk(output, "IDAT"u8, DeterministicDeflate.CompressZlib(filtered));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    public static void Save(RgbImage image, string path) => File.WriteAllBytes(path, Encode(image));

    /// <summary>
    /// Each row prefixed by its filter type: the one of Sub, Up, Paeth (None and Sub for the first row) whose
    /// residuals have the smallest sum of |signed byte|, the heuristic the PNG specification recommends.
    /// </summary>
    internal static byte[] FilterRows(byte[] pixels, int stride, int height)
    {
        const int bpp = 3;
        var filtered = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.AsSpan(y * stride, stride);
            var output = filtered.AsSpan((y * (stride + 1)) + 1, stride);
            int filter;
            if (y == 0)
            {
                long none = 0, sub = 0;
                for (int i = 0; i < stride; i++)
                {
                    none += Cost(row[i]);
                    sub += Cost(row[i] - (i >= bpp ? row[i - bpp] : 0));
                }
                filter = sub < none ? 1 : 0;
            }
            else
            {
                var up = pixels.AsSpan((y - 1) * stride, stride);
                long sub = 0, upCost = 0, paeth = 0;
                for (int i = 0; i < bpp; i++)
                {
                    sub += Cost(row[i]);
                    upCost += Cost(row[i] - up[i]);
                    paeth += Cost(row[i] - up[i]);
                }
                for (int i = bpp; i < stride; i++)
                {
                    int x = row[i], a = row[i - bpp], b = up[i], c = up[i - bpp];
                    sub += Cost(x - a);
                    upCost += Cost(x - b);
                    paeth += Cost(x - Paeth(a, b, c));
                }
                filter = upCost <= sub ? 2 : 1;
                if (paeth < Math.Min(sub, upCost)) filter = 4;
            }
            filtered[y * (stride + 1)] = (byte)filter;
            for (int i = 0; i < stride; i++)
            {
                int x = row[i];
                int a = i >= bpp ? row[i - bpp] : 0;
                int b = y > 0 ? pixels[((y - 1) * stride) + i] : 0;
                int c = i >= bpp && y > 0 ? pixels[((y - 1) * stride) + i - bpp] : 0;
                int predictor = filter switch { 0 => 0, 1 => a, 2 => b, _ => Paeth(a, b, c) };
                output[i] = (byte)(x - predictor);
            }
        }
        return filtered;
    }

    /// <summary>|residual| as a signed byte, without branches.</summary>
    private static int Cost(int difference)
    {
        int v = (sbyte)(byte)difference;
        int sign = v >> 31;
        return (v ^ sign) - sign;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        type.CopyTo(typed);
        data.CopyTo(typed, 4);
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, DeterministicGzip.Crc32(typed));
        output.Write(word);
    }
}
