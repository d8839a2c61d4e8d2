using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>
/// onnx.ValueInfoProto for a tensor graph input or output: element type and shape, where a dimension is
/// either a fixed size or a symbolic name (a dynamic axis such as "batch").
/// </summary>
internal sealed class OnnxValueInfoProto : ProtoMessage
{
    public required string Name { get; init; }

    public int ElementType { get; init; } = OnnxTensorProto.Float;

    /// <summary>Each dimension: a long (fixed) or a string (symbolic).</summary>
    public required IReadOnlyList<object> Shape { get; init; }

    public override void WriteFields(CodedOutputStream output)
    {
        WriteString(output, 1, Name);
        WriteMessage(output, 2, new TypeProto(ElementType, Shape));
    }

    private sealed class TypeProto(int elementType, IReadOnlyList<object> shape) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output) =>
            WriteMessage(output, 1, new TensorTypeProto(elementType, shape));
    }

    private sealed class TensorTypeProto(int elementType, IReadOnlyList<object> shape) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output)
        {
            WriteInt32(output, 1, elementType);
            WriteMessage(output, 2, new ShapeProto(shape));
        }
    }

    private sealed class ShapeProto(IReadOnlyList<object> shape) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output)
        {
            foreach (object dim in shape)
                WriteMessage(output, 1, new DimensionProto(dim));
        }
    }

    private sealed class DimensionProto(object dim) : ProtoMessage
    {
        public override void WriteFields(CodedOutputStream output)
        {
            switch (dim)
            {
                case long value:
                    WriteInt64(output, 1, value);
                    break;
                case int value:
                    WriteInt64(output, 1, value);
                    break;
                case string name:
                    WriteString(output, 2, name);
                    break;
                default:
                    throw new ArgumentException($"dimension must be a size or a name, got {dim}");
            }
        }
    }
}
