using System.Text;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Reads the state-dict file TorchSharp's <c>Module.save</c> writes, without needing a module of the
/// same shape: a LEB128 entry count, then per entry a length-prefixed UTF-8 name, the element type,
/// the rank and dimensions (LEB128 each) and the raw tensor bytes.
/// </summary>
public static class TorchSharpStateDictReader
{
    public static IReadOnlyDictionary<string, StoredTensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        var tensors = Read(stream, path);
        if (stream.Position != stream.Length)
            throw Bad(path, $"{stream.Length - stream.Position} bytes left after the last entry");
        return tensors;
    }

    /// <summary>
    /// Reads one state dict from the current position of <paramref name="stream"/> and leaves the stream
    /// just after it (so a checkpoint can embed a state dict among other data).
    /// </summary>
    public static IReadOnlyDictionary<string, StoredTensor> Read(Stream stream, string sourceName)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var tensors = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        try
        {
            long count = ReadLeb128(reader);
            if (count < 0 || count > 1_000_000)
                throw Bad(sourceName, $"implausible entry count {count}");
            for (long i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                long typeCode = ReadLeb128(reader);
                if (!Enum.IsDefined(typeof(ScalarType), (sbyte)typeCode) || typeCode > sbyte.MaxValue)
                    throw Bad(sourceName, $"entry '{name}' has unknown element type {typeCode}");
                var dtype = (ScalarType)(sbyte)typeCode;
                long rank = ReadLeb128(reader);
                if (rank > 16)
                    throw Bad(sourceName, $"entry '{name}' has implausible rank {rank}");
                var shape = new long[rank];
                for (int d = 0; d < rank; d++)
                    shape[d] = ReadLeb128(reader);
                long bytes = shape.Aggregate(1L, (a, b) => a * b) * StoredTensor.ElementSize(dtype);
                if (bytes > stream.Length - stream.Position)
                    throw Bad(sourceName, $"entry '{name}' {StoredTensor.FormatShape(shape)} needs {bytes} bytes, only {stream.Length - stream.Position} left");
                byte[] data = reader.ReadBytes((int)bytes);
                if (!tensors.TryAdd(name, new StoredTensor(name, dtype, shape, data)))
                    throw Bad(sourceName, $"entry '{name}' appears twice");
            }
        }
        catch (EndOfStreamException)
        {
            throw Bad(sourceName, "file ends in the middle of an entry (truncated?)");
        }
        catch (NotSupportedException e)
        {
            throw Bad(sourceName, e.Message);
        }
        return tensors;
    }

    private static long ReadLeb128(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            result |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return result;
        }
        throw new InvalidDataException("LEB128 value longer than 9 bytes.");
    }

    private static InvalidDataException Bad(string sourceName, string problem) =>
        new($"{sourceName}: not a readable TorchSharp state-dict file: {problem}.");
}
