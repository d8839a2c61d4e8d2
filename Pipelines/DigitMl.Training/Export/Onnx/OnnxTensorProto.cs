using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace DigitMl.Export.Onnx;

/// <summary>Factories for <see cref="TensorProto"/> constants holding float32 or int64 values as little-endian raw_data.</summary>
internal static class OnnxTensorProto
{
    public static TensorProto FromFloats(string name, long[] dims, ReadOnlySpan<float> values)
    {
        CheckCount(name, dims, values.Length);
        return Create(name, dims, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values));
    }

    public static TensorProto FromInt64s(string name, long[] dims, ReadOnlySpan<long> values)
    {
        CheckCount(name, dims, values.Length);
        return Create(name, dims, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values));
    }

    private static TensorProto Create(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        return new TensorProto { Name = name, Dims = { dims }, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
    }

    private static void CheckCount(string name, long[] dims, int count)
    {
        long expected = 1;
        foreach (long dim in dims) expected *= dim;
        if (expected != count)
            throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", dims)}] needs {expected} values, got {count}");
    }
}
