using Onnx;

namespace DigitMl.Export.Onnx;

/// <summary>
/// Factory for the <see cref="ValueInfoProto"/> of a tensor graph input or output: element type and shape, where
/// each dimension is a fixed size (long or int) or a symbolic name (a dynamic axis such as "batch").
/// </summary>
internal static class OnnxValueInfoProto
{
    public static ValueInfoProto Tensor(string name, IReadOnlyList<object> shape, TensorProto.Types.DataType elementType = TensorProto.Types.DataType.Float)
    {
        var tensorShape = new TensorShapeProto();
        foreach (object dim in shape)
        {
            tensorShape.Dim.Add(dim switch
            {
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => throw new ArgumentException($"dimension must be a size or a name, got {dim}", nameof(shape)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = tensorShape } },
        };
    }
}
