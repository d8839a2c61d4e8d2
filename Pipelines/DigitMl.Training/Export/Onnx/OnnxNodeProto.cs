using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>onnx.NodeProto: one operator application.</summary>
internal sealed class OnnxNodeProto : ProtoMessage
{
    public required string OpType { get; init; }

    public required string Name { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required IReadOnlyList<string> Outputs { get; init; }

    public List<OnnxAttributeProto> Attributes { get; } = [];

    public override void WriteFields(CodedOutputStream output)
    {
        foreach (var input in Inputs)
            WriteRepeatedStringEntry(output, 1, input);
        foreach (var nodeOutput in Outputs)
            WriteRepeatedStringEntry(output, 2, nodeOutput);
        WriteString(output, 3, Name);
        WriteString(output, 4, OpType);
        foreach (var attribute in Attributes)
            WriteMessage(output, 5, attribute);
    }
}
