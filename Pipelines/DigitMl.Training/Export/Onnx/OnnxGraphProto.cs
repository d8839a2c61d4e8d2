using Google.Protobuf;

namespace DigitMl.Export.Onnx;

/// <summary>onnx.GraphProto: nodes in topological order, weights as initializers, graph inputs and outputs.</summary>
internal sealed class OnnxGraphProto : ProtoMessage
{
    public string Name { get; init; } = "";

    public List<OnnxNodeProto> Nodes { get; } = [];

    public List<OnnxTensorProto> Initializers { get; } = [];

    public List<OnnxValueInfoProto> Inputs { get; } = [];

    public List<OnnxValueInfoProto> Outputs { get; } = [];

    public override void WriteFields(CodedOutputStream output)
    {
        foreach (var node in Nodes)
            WriteMessage(output, 1, node);
        WriteString(output, 2, Name);
        foreach (var tensor in Initializers)
            WriteMessage(output, 5, tensor);
        foreach (var input in Inputs)
            WriteMessage(output, 11, input);
        foreach (var graphOutput in Outputs)
            WriteMessage(output, 12, graphOutput);
    }
}
