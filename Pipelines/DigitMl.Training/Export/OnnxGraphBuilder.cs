using DigitMl.Export.Onnx;
using Onnx;

namespace DigitMl.Export;

/// <summary>
/// Appends nodes and constant tensors to an ONNX graph, naming every intermediate value uniquely.
/// Methods return the name of the value they produce so graph code reads like the forward pass.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new() { Name = "main_graph" };

    public string Unique(string stem)
    {
        _nameCounts.TryGetValue(stem, out int count);
        _nameCounts[stem] = count + 1;
        return count == 0 ? stem : $"{stem}_{count}";
    }

    public string Constant(string name, long[] dims, ReadOnlySpan<float> values)
    {
        name = Unique(name);
        Graph.Initializer.Add(OnnxTensorProto.FromFloats(name, dims, values));
        return name;
    }

    /// <summary>A 0-d int64 tensor (for operators that take scalars, such as Range and Gather indices).</summary>
    public string ConstantInt64Scalar(string name, long value)
    {
        name = Unique(name);
        Graph.Initializer.Add(OnnxTensorProto.FromInt64s(name, [], [value]));
        return name;
    }

    public string ConstantInt64(string name, params long[] values)
    {
        name = Unique(name);
        Graph.Initializer.Add(OnnxTensorProto.FromInt64s(name, [values.Length], values));
        return name;
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string stem, IReadOnlyList<string> inputs, params AttributeProto[] attributes) =>
        NodeMulti(opType, stem, inputs, 1, attributes)[0];

    public string[] NodeMulti(string opType, string stem, IReadOnlyList<string> inputs, int outputCount, params AttributeProto[] attributes)
    {
        string nodeName = Unique($"/{stem}/{opType}");
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
            outputs[i] = Unique($"{nodeName}_output_{i}");
        Graph.Node.Add(new NodeProto { OpType = opType, Name = nodeName, Input = { inputs }, Output = { outputs }, Attribute = { attributes } });
        return outputs;
    }

    /// <summary>Renames the value produced last into a graph output name by an Identity node.</summary>
    public void Output(string value, string outputName) =>
        Graph.Node.Add(new NodeProto { OpType = "Identity", Name = $"/{outputName}/Identity", Input = { value }, Output = { outputName } });
}
