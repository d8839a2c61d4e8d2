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

    /// <summary>
    /// A turn-aware model (docs/orientation.md): ONNX output0 equals TorchSharp's Decode (scores = max over turns) and
    /// ONNX turns equals the head's per-turn scores.
    /// </summary>
    [Test]
    public void TurnAwareExportMatchesTorchSharp()
    {
        const int nc = 3, height = 64, width = 96;
        torch.manual_seed(13);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, numClasses: nc, orientations: 4);
        RandomiseBatchNorm(model);
        model.eval();
        string path = Path.Combine(Path.GetTempPath(), $"digitml-parity-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path, new OnnxExportMetadata(["a", "b", "c"], 64));
            using var scope = NewDisposeScope();
            var images = rand(2, 3, height, width);
            float[] decoded, turnScores;
            using (no_grad())
            {
                var raw = model.forward(images);
                decoded = model.Decode(raw).contiguous().data<float>().ToArray();
                turnScores = model.Head.DecodeTurnScores(raw).contiguous().data<float>().ToArray();
            }
            using var session = new InferenceSession(path);
            var input = new DenseTensor<float>(images.data<float>().ToArray(), [2, 3, height, width]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
            var output0 = results.First(r => r.Name == "output0").AsTensor<float>().ToArray();
            var turns = results.First(r => r.Name == "turns").AsTensor<float>().ToArray();
            int anchors = OnnxExporterTests.Anchors(height, width);
            Assert.That(output0, Has.Length.EqualTo(2 * (4 + nc) * anchors));
            Assert.That(turns, Has.Length.EqualTo(2 * 4 * nc * anchors));
            double maxError = Math.Max(OnnxExporterTests.MaxDifference(output0, decoded), OnnxExporterTests.MaxDifference(turns, turnScores));
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
