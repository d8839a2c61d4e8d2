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
