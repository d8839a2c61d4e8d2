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

    /// <summary>
    /// A copy of <paramref name="tensor"/>'s values (moved to the CPU, made contiguous), converted to
    /// <paramref name="dtype"/> when given. A conversion that turns finite values into infinities (fp16 holds at most
    /// 65504) is refused, naming the tensor.
    /// </summary>
    public static StoredTensor From(string name, Tensor tensor, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu();
        bool convert = dtype is { } target && target != cpu.dtype;
        var converted = (convert ? cpu.to(dtype!.Value) : cpu).contiguous();
        if (convert && converted.is_floating_point() && cpu.isfinite().all().item<bool>() && !converted.isfinite().all().item<bool>())
            throw new OverflowException($"tensor '{name}' has values outside the range of {converted.dtype} " +
                $"(largest magnitude {cpu.abs().max().to(ScalarType.Float64).item<double>()})");
        return new StoredTensor(name, converted.dtype, converted.shape, converted.bytes.ToArray());
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
