using System.Buffers.Binary;

namespace DigitMl.Data.Mnist;

/// <summary>
/// The IDX format of the MNIST distribution for unsigned bytes: a big-endian magic
/// 0x000008NN (0x08 = ubyte, NN = number of dimensions), NN big-endian int32 sizes, then the data.
/// Files ending in .gz are gzip-compressed (written with <see cref="DeterministicGzip"/>).
/// </summary>
public static class IdxFile
{
    public const int UnsignedByteType = 0x08;

    public static byte[] Encode(ReadOnlySpan<byte> data, params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is 0 or > 255) throw new ArgumentException("IDX needs 1 to 255 dimensions", nameof(dimensions));
        long expected = 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            expected *= d;
        }
        if (expected != data.Length)
            throw new ArgumentException($"dimensions [{string.Join(',', dimensions)}] need {expected} bytes, got {data.Length}", nameof(data));
        var bytes = new byte[4 + (4 * dimensions.Length) + data.Length];
        bytes[2] = UnsignedByteType;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        data.CopyTo(bytes.AsSpan(4 + (4 * dimensions.Length)));
        return bytes;
    }

    /// <summary>Parses IDX bytes; <paramref name="source"/> names the file in error messages.</summary>
    public static (int[] Dimensions, byte[] Data) Decode(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw new InvalidDataException($"{source}: not an IDX file (only {bytes.Length} bytes)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: not an IDX file (magic 0x{BinaryPrimitives.ReadInt32BigEndian(bytes):x8})");
        if (bytes[2] != UnsignedByteType)
            throw new InvalidDataException($"{source}: IDX element type 0x{bytes[2]:x2} is not unsigned byte (0x08)");
        int rank = bytes[3];
        int headerLength = 4 + (4 * rank);
        if (rank == 0 || bytes.Length < headerLength)
            throw new InvalidDataException($"{source}: truncated IDX header ({rank} dimensions, {bytes.Length} bytes)");
        var dimensions = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + (4 * i))..]);
            if (dimensions[i] < 0) throw new InvalidDataException($"{source}: negative IDX dimension {dimensions[i]}");
            count *= dimensions[i];
        }
        if (bytes.Length - headerLength != count)
            throw new InvalidDataException($"{source}: IDX dimensions [{string.Join(',', dimensions)}] need {count} data bytes, file has {bytes.Length - headerLength}");
        return (dimensions, bytes[headerLength..].ToArray());
    }

    public static void Write(string path, ReadOnlySpan<byte> data, params int[] dimensions)
    {
        var encoded = Encode(data, dimensions);
        File.WriteAllBytes(path, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? DeterministicGzip.Compress(encoded) : encoded);
    }

    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: IDX file not found", path);
        byte[] bytes;
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var stream = File.OpenRead(path);
            try
            {
                bytes = DeterministicGzip.Decompress(stream);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
            }
        }
        else
        {
            bytes = File.ReadAllBytes(path);
        }
        return Decode(bytes, path);
    }
}
