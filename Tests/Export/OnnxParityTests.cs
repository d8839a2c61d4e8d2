using DigitMl.Export;
using DigitMl.Modeling;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Tests.Export;

/// <summary>ONNX Runtime on the exported graph against the TorchSharp model in eval mode, random weights and inputs.</summary>
public sealed class OnnxParityTests
{
    [TestCase("tiny", 64, 1)]
    [TestCase("tiny", 64, 4)]
    [TestCase("n", 96, 1)]
    [TestCase("n", 96, 4)]
    public void OnnxRuntimeMatchesTorchSharpEvalOutput(string scaleName, int imageSize, int batch)
    {
        torch.manual_seed(7);
        using var model = new YoloV8Model(YoloV8Scale.Parse(scaleName), numClasses: 10);
        RandomiseBatchNorm(model);
        model.eval();

        string path = Path.Combine(Path.GetTempPath(), $"digitml-parity-{Guid.NewGuid():N}.onnx");
        try
        {
            var names = Enumerable.Range(0, 10).Select(i => $"d{i}").ToList();
            OnnxExporter.Export(model, path, new OnnxExportMetadata(names, imageSize));

            using var scope = NewDisposeScope();
            var images = rand(batch, 3, imageSize, imageSize);
            float[] expected;
            using (no_grad())
                expected = model.Decode(model.forward(images)).contiguous().data<float>().ToArray();

            using var session = new InferenceSession(path);
            var input = new DenseTensor<float>(images.data<float>().ToArray(), [batch, 3, imageSize, imageSize]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            var actual = results[0].AsTensor<float>();
            int anchors = (imageSize / 8 * (imageSize / 8)) + (imageSize / 16 * (imageSize / 16)) + (imageSize / 32 * (imageSize / 32));
            Assert.That(actual.Dimensions.ToArray(), Is.EqualTo(new[] { batch, 14, anchors }));

            var values = actual.ToArray();
            double maxError = 0;
            for (int i = 0; i < values.Length; i++)
                maxError = Math.Max(maxError, Math.Abs(values[i] - expected[i]));
            TestContext.Out.WriteLine($"{scaleName} {imageSize}px batch {batch}: max |onnx - torch| = {maxError:E2}");
            Assert.That(maxError, Is.LessThanOrEqualTo(1e-4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>One export with dynamic spatial axes, run at two other sizes (one not square): native-size inference.</summary>
    [TestCase("tiny", 96, 64)]
    [TestCase("n", 128, 160)]
    public void DynamicSizeExportMatchesTorchSharpAtOtherSizes(string scaleName, int height, int width)
    {
        torch.manual_seed(11);
        using var model = new YoloV8Model(YoloV8Scale.Parse(scaleName), numClasses: 10);
        RandomiseBatchNorm(model);
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"digitml-parity-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path, new OnnxExportMetadata(Enumerable.Range(0, 10).Select(i => $"d{i}").ToList(), 64));
            var (expected, actual) = BothOutputs(model, path, 2, height, width);
            Assert.That(actual[0].Dimensions.ToArray(), Is.EqualTo(new[] { 2, 14, OnnxExporterTests.Anchors(height, width) }));
            double maxError = OnnxExporterTests.MaxDifference(actual[0].ToArray(), expected);
            TestContext.Out.WriteLine($"{scaleName} exported at 64, run at {height}x{width}: max |onnx - torch| = {maxError:E2}");
            Assert.That(maxError, Is.LessThanOrEqualTo(1e-4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A class branch of 4 x nc channels (docs/orientation.md): turns = the network's class scores, output0 = max over turns.</summary>
    [Test]
    public void TurnAwareExportMatchesTorchSharp()
    {
        const int nc = 3, height = 64, width = 96;
        torch.manual_seed(13);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, numClasses: 4 * nc);
        RandomiseBatchNorm(model);
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"digitml-parity-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path, new OnnxExportMetadata(["a", "b", "c"], 64) { Orientations = 4 });
            var (expected, actual) = BothOutputs(model, path, 2, height, width);
            int anchors = OnnxExporterTests.Anchors(height, width), rows = 4 + (4 * nc);
            var output0 = actual[0];
            var turns = actual[1];
            double maxError = 0;
            for (int b = 0; b < 2; b++)
            {
                for (int a = 0; a < anchors; a++)
                {
                    float At(int row) => expected[(((b * rows) + row) * anchors) + a];
                    for (int r = 0; r < 4; r++) maxError = Math.Max(maxError, Math.Abs(output0[b, r, a] - At(r)));
                    for (int k = 0; k < 4 * nc; k++) maxError = Math.Max(maxError, Math.Abs(turns[b, k, a] - At(4 + k)));
                    for (int c = 0; c < nc; c++)
                    {
                        float best = Enumerable.Range(0, 4).Max(t => At(4 + (t * nc) + c));
                        maxError = Math.Max(maxError, Math.Abs(output0[b, 4 + c, a] - best));
                    }
                }
            }

            TestContext.Out.WriteLine($"turn-aware tiny {height}x{width}: max |onnx - torch| = {maxError:E2}");
            Assert.That(maxError, Is.LessThanOrEqualTo(1e-4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (float[] Torch, List<Tensor<float>> Onnx) BothOutputs(YoloV8Model model, string onnxPath, int batch, int height, int width)
    {
        using var scope = NewDisposeScope();
        var images = rand(batch, 3, height, width);
        float[] expected;
        using (no_grad())
            expected = model.Decode(model.forward(images)).contiguous().data<float>().ToArray();
        using var session = new InferenceSession(onnxPath);
        var input = new DenseTensor<float>(images.data<float>().ToArray(), [batch, 3, height, width]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
        return (expected, results.Select(r => (Tensor<float>)r.AsTensor<float>().Clone()).ToList());
    }

    // Fresh BatchNorm layers are the identity in eval mode; random statistics make the folding matter.
    private static void RandomiseBatchNorm(YoloV8Model model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith(".bn.running_mean", StringComparison.Ordinal)) tensor.copy_(randn_like(tensor) * 0.2);
            else if (name.EndsWith(".bn.running_var", StringComparison.Ordinal)) tensor.copy_(rand_like(tensor) + 0.5);
            else if (name.EndsWith(".bn.weight", StringComparison.Ordinal)) tensor.copy_(rand_like(tensor) + 0.5);
            else if (name.EndsWith(".bn.bias", StringComparison.Ordinal)) tensor.copy_(randn_like(tensor) * 0.2);
        }
    }
}
