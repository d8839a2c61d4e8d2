using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>A named tensor read from a weights file: element type, shape and raw little-endian bytes.</summary>
public sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, byte[] Data)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>A new CPU tensor holding a copy of <see cref="Data"/>.</summary>
    public Tensor ToTensor()
    {
        var tensor = empty(Shape, DType);
        Data.CopyTo(tensor.bytes);
        return tensor;
    }

    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new NotSupportedException($"Element type {dtype} is not supported in weight files."),
    };

    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
