using System.Runtime.InteropServices;
using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>onnx.TensorProto holding float32 or int64 values as little-endian raw_data.</summary>
internal sealed class OnnxTensorProto : ProtoMessage
{
    public const int Float = 1;
    public const int Int64 = 7;

    private OnnxTensorProto(string name, long[] dims, int dataType, byte[] rawData)
    {
        Name = name;
        Dims = dims;
        DataType = dataType;
        RawData = rawData;
    }

    public string Name { get; }

    public long[] Dims { get; }

    public int DataType { get; }

    public byte[] RawData { get; }

    public static OnnxTensorProto FromFloats(string name, long[] dims, ReadOnlySpan<float> values)
    {
        CheckCount(name, dims, values.Length);
        return new(name, dims, Float, ToLittleEndian(values));
    }

    public static OnnxTensorProto FromInt64s(string name, long[] dims, ReadOnlySpan<long> values)
    {
        CheckCount(name, dims, values.Length);
        return new(name, dims, Int64, ToLittleEndian(values));
    }

    public override void WriteFields(CodedOutputStream output)
    {
        foreach (long dim in Dims)
            WriteInt64(output, 1, dim);
        WriteInt32(output, 2, DataType);
        WriteString(output, 8, Name);
        WriteBytes(output, 9, RawData);
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        long expected = 1;
        foreach (long dim in dims) expected *= dim;
        if (expected != count)
            throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", dims)}] needs {expected} values, got {count}");
    }

    private static byte[] ToLittleEndian<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        return bytes;
    }
}
