using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Reads a safetensors file: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to its dtype, shape and [begin, end) byte offsets into the data that follows.
/// </summary>
public static class SafetensorsReader
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static IReadOnlyDictionary<string, StoredTensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] file = File.ReadAllBytes(path);
        return Parse(file, path);
    }

    /// <summary>The <c>__metadata__</c> map of a safetensors file (string keys and values; empty when it has none).</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.ReadAtLeast(lengthBytes, 8, throwOnEndOfStream: false) < 8)
            throw Bad(path, $"{stream.Length} bytes is too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(stream.Length - 8))
            throw Bad(path, $"header length {headerLength} does not fit in a file of {stream.Length} bytes");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        return MetadataOf(header, path);
    }

    /// <summary>The <c>__metadata__</c> map of safetensors bytes held in memory.</summary>
    public static IReadOnlyDictionary<string, string> ParseMetadata(byte[] file, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 8)
            throw Bad(sourceName, $"{file.Length} bytes is too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
            throw Bad(sourceName, $"header length {headerLength} does not fit in a file of {file.Length} bytes");
        return MetadataOf(file.AsSpan(8, (int)headerLength).ToArray(), sourceName);
    }

    private static Dictionary<string, string> MetadataOf(byte[] header, string sourceName)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("__metadata__", out var entries) && entries.ValueKind == JsonValueKind.Object)
                foreach (var entry in entries.EnumerateObject())
                    metadata[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
        }
        catch (JsonException e)
        {
            throw Bad(sourceName, $"header is not valid JSON ({e.Message})");
        }
        return metadata;
    }

    /// <summary>True when the bytes look like a safetensors file (plausible header length, JSON object next).</summary>
    public static bool LooksLikeSafetensors(ReadOnlySpan<byte> prefix, long fileLength)
    {
        if (prefix.Length < 9)
            return false;
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        return headerLength >= 2 && headerLength <= (ulong)Math.Max(0, fileLength - 8) && prefix[8] == (byte)'{';
    }

    public static IReadOnlyDictionary<string, StoredTensor> Parse(byte[] file, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Length < 8)
            throw Bad(sourceName, $"{file.Length} bytes is too short for the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(file.Length - 8))
            throw Bad(sourceName, $"header length {headerLength} does not fit in a file of {file.Length} bytes");
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;

        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw Bad(sourceName, $"header is not valid JSON ({e.Message})");
        }

        using (header)
        {
            if (header.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(sourceName, "header is not a JSON object");
            var tensors = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                    continue;
                tensors.Add(entry.Name, ReadEntry(entry, file, dataStart, dataLength, sourceName));
            }
            return tensors;
        }
    }

    private static StoredTensor ReadEntry(JsonProperty entry, byte[] file, long dataStart, long dataLength, string sourceName)
    {
        string name = entry.Name;
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Bad(sourceName, $"tensor '{name}' needs \"dtype\", \"shape\" and two \"data_offsets\"");

        var dtype = ParseDType(dtypeElement.GetString()!, name, sourceName);
        long[] shape = shapeElement.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Any(d => d < 0))
            throw Bad(sourceName, $"tensor '{name}' has a negative dimension in {StoredTensor.FormatShape(shape)}");
        long begin = offsetsElement[0].GetInt64(), end = offsetsElement[1].GetInt64();
        if (begin < 0 || end < begin || end > dataLength)
            throw Bad(sourceName, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength} data bytes");
        long expected = shape.Aggregate(1L, (a, b) => a * b) * StoredTensor.ElementSize(dtype);
        if (end - begin != expected)
            throw Bad(sourceName, $"tensor '{name}' ({dtypeElement.GetString()} {StoredTensor.FormatShape(shape)}) needs {expected} bytes but data_offsets span {end - begin}");

        byte[] data = new byte[end - begin];
        Array.Copy(file, dataStart + begin, data, 0, data.Length);
        return new StoredTensor(name, dtype, shape, data);
    }

    private static ScalarType ParseDType(string dtype, string name, string sourceName) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F64" => ScalarType.Float64,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw Bad(sourceName, $"tensor '{name}' has unsupported dtype '{dtype}'"),
    };

    private static InvalidDataException Bad(string sourceName, string problem) =>
        new($"{sourceName}: not a readable safetensors file: {problem}.");
}
