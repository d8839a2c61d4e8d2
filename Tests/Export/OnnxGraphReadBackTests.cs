using DigitMl.Export;
using Onnx;

namespace DigitMl.Tests.Export;

/// <summary>
/// Reads an exported model.onnx back through OnnxSharp's generated ONNX messages (the same types the exporter writes
/// with) and checks what other ONNX tools rely on: header, opset, typed graph inputs and outputs, a topologically
/// ordered graph whose every value is defined, consistent initializers, folded BatchNorm.
/// </summary>
public sealed class OnnxGraphReadBackTests
{
    private static readonly string[] Names = ["zero", "one", "two"];

    [Test]
    public void ExportedModelParsesAsAWellFormedOnnxGraph()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: Names.Length);
        string path = Path.Combine(Path.GetTempPath(), $"digitml-readback-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.ExportStateDict(weights, path, new OnnxExportMetadata(Names, 64, ConfigHash: "c0ffee"));
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var graph = model.Graph;

            Assert.That(model.IrVersion, Is.EqualTo(8));
            Assert.That(model.ProducerName, Is.EqualTo("DigitMl"));
            Assert.That(model.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 17L) }));
            var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.That(metadata["names"], Is.EqualTo("{0: 'zero', 1: 'one', 2: 'two'}"));
            Assert.That(metadata["task"], Is.EqualTo("detect"));
            Assert.That(metadata["config_hash"], Is.EqualTo("c0ffee"));

            var input = graph.Input.Single(i => i.Name == "images");
            var inputDims = input.Type.TensorType.Shape.Dim;
            Assert.That(input.Type.TensorType.ElemType, Is.EqualTo((int)TensorProto.Types.DataType.Float));
            Assert.That(inputDims, Has.Count.EqualTo(4));
            Assert.That(inputDims[0].DimParam, Is.Not.Empty, "dynamic batch axis");
            Assert.That(inputDims[1].DimValue, Is.EqualTo(3));
            var output = graph.Output.Single(o => o.Name == "output0");
            Assert.That(output.Type.TensorType.Shape.Dim[0].DimParam, Is.Not.Empty);
            Assert.That(output.Type.TensorType.Shape.Dim[1].DimValue, Is.EqualTo(4 + Names.Length));

            // Every value a node reads exists before it: an initializer, a graph input, or an earlier node's output.
            var defined = new HashSet<string>(graph.Initializer.Select(t => t.Name).Concat(graph.Input.Select(i => i.Name)), StringComparer.Ordinal);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                foreach (string value in node.Input.Where(v => v.Length > 0))
                {
                    Assert.That(defined, Does.Contain(value), $"node {node.Name} ({node.OpType}) reads {value} before it is written");
                    used.Add(value);
                }

                foreach (string value in node.Output)
                    Assert.That(defined.Add(value), Is.True, $"node {node.Name} writes {value} a second time");
            }

            Assert.That(graph.Output.Select(o => o.Name), Is.SubsetOf(defined));
            Assert.That(graph.Node.Select(n => n.Name), Is.Unique);
            Assert.That(graph.Node.Select(n => n.OpType), Has.None.EqualTo("BatchNormalization"), "BatchNorm is folded into the convolutions");
            int convWeights = weights.Count(w => w.Value.Shape.Length == 4 && !w.Key.Contains(".dfl.", StringComparison.Ordinal));
            Assert.That(graph.Node.Count(n => n.OpType == "Conv"), Is.EqualTo(convWeights), "one Conv per convolution weight (DFL is Softmax + ReduceSum)");

            foreach (var tensor in graph.Initializer)
            {
                long count = tensor.Dims.Aggregate(1L, (a, d) => a * d);
                int elementSize = tensor.DataType == (int)TensorProto.Types.DataType.Int64 ? 8 : 4;
                Assert.That(tensor.DataType, Is.AnyOf((int)TensorProto.Types.DataType.Float, (int)TensorProto.Types.DataType.Int64), tensor.Name);
                Assert.That(tensor.RawData.Length, Is.EqualTo(count * elementSize), $"{tensor.Name} [{string.Join(", ", tensor.Dims)}]");
                Assert.That(used, Does.Contain(tensor.Name), $"initializer {tensor.Name} is read by no node");
            }

            var reduce = graph.Node.First(n => n.OpType == "ReduceSum");
            var keepdims = reduce.Attribute.Single(a => a.Name == "keepdims");
            Assert.That((keepdims.Type, keepdims.I), Is.EqualTo((AttributeProto.Types.AttributeType.Int, 0L)), "a zero-valued attribute keeps its type");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
