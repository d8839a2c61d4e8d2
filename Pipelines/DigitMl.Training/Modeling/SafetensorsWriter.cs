using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Writes a safetensors file (the layout <see cref="SafetensorsReader"/> reads): tensors in ordinal name order,
/// an optional <c>__metadata__</c> map of strings, the JSON header padded with spaces to a multiple of 8 bytes
/// (as the reference implementation does, so the data that follows is aligned). The same tensors and metadata
/// always give the same bytes, so a file's SHA-256 identifies its content. Written to a temporary file and
/// renamed: an interrupted write never leaves a half file under the name.
/// </summary>
/// <remarks>
/// TorchSharp.PyBridge's <c>Safetensors.SaveStateDict</c> was not used: it writes no <c>__metadata__</c>, keeps the
/// dictionary's order (no stable bytes), and opens the file with <c>File.OpenWrite</c>, which does not truncate,
/// so writing a smaller file over a larger one leaves the old tail behind.
/// </remarks>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<StoredTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = ToBytes(tensors, metadata);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static byte[] ToBytes(IEnumerable<StoredTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var duplicate = ordered.Zip(ordered.Skip(1)).FirstOrDefault(p => p.First.Name == p.Second.Name);
        if (duplicate.First is not null)
            throw new ArgumentException($"tensor '{duplicate.First.Name}' appears twice", nameof(tensors));

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in ordered)
            {
                if (tensor.Name == "__metadata__")
                    throw new ArgumentException("a tensor cannot be named __metadata__", nameof(tensors));
                long expected = tensor.ElementCount * StoredTensor.ElementSize(tensor.DType);
                if (tensor.Data.LongLength != expected)
                    throw new ArgumentException($"tensor '{tensor.Name}' {StoredTensor.FormatShape(tensor.Shape)} {tensor.DType} needs {expected} bytes, has {tensor.Data.LongLength}", nameof(tensors));
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", DTypeName(tensor.DType, tensor.Name));
                json.WriteStartArray("shape");
                foreach (long d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + expected);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += expected;
            }
            json.WriteEndObject();
        }

        int headerLength = (int)header.Length;
        int padded = (headerLength + 7) / 8 * 8;
        long dataLength = ordered.Sum(t => t.Data.LongLength);
        var file = new byte[8 + padded + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.GetBuffer().AsSpan(0, headerLength).CopyTo(file.AsSpan(8));
        file.AsSpan(8 + headerLength, padded - headerLength).Fill((byte)' ');
        long position = 8 + padded;
        foreach (var tensor in ordered)
        {
            tensor.Data.CopyTo(file, position);
            position += tensor.Data.LongLength;
        }
        return file;
    }

    internal static string DTypeName(ScalarType dtype, string name) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"tensor '{name}': element type {dtype} cannot be written to safetensors"),
    };
}
