using DigitMl.Export;
using DigitMl.Scoring;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Tests.Export;

public sealed class OnnxExporterTests
{
    [Test]
    public void ExportedGraphRunsInOnnxRuntimeWithDynamicBatchAndReferenceMetadata()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: 10);
        string path = Path.Combine(Path.GetTempPath(), $"digitml-export-{Guid.NewGuid():N}.onnx");
        try
        {
            var names = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            OnnxExporter.ExportStateDict(weights, path, new OnnxExportMetadata(names, 64, ConfigHash: "abc123"));
            using var session = new InferenceSession(path);
            Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(new[] { "images" }));
            Assert.That(session.OutputMetadata.Keys, Is.EquivalentTo(new[] { "output0" }));
            Assert.That(session.InputMetadata["images"].Dimensions, Is.EqualTo(new[] { -1, 3, 64, 64 }));
            var meta = session.ModelMetadata.CustomMetadataMap;
            Assert.That(meta["names"], Is.EqualTo("{0: '0', 1: '1', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6', 7: '7', 8: '8', 9: '9'}"));
            Assert.That(meta["imgsz"], Is.EqualTo("[64, 64]"));
            Assert.That(meta["stride"], Is.EqualTo("32"));
            Assert.That(meta["task"], Is.EqualTo("detect"));
            Assert.That(meta["config_hash"], Is.EqualTo("abc123"));

            foreach (int batch in new[] { 1, 3 })
            {
                var input = new DenseTensor<float>(new[] { batch, 3, 64, 64 });
                var random = new Random(batch);
                for (int i = 0; i < input.Length; i++) input.SetValue(i, (float)random.NextDouble());
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
                var output = results[0].AsTensor<float>();
                int anchors = (8 * 8) + (4 * 4) + (2 * 2);
                Assert.That(output.Dimensions.ToArray(), Is.EqualTo(new[] { batch, 14, anchors }));
                var values = output.ToArray();
                Assert.That(values.All(float.IsFinite), Is.True);
                // class scores are sigmoids, widths and heights non-negative.
                for (int a = 0; a < anchors; a++)
                {
                    Assert.That(output[0, 2, a], Is.GreaterThanOrEqualTo(0));
                    Assert.That(output[0, 4, a], Is.InRange(0f, 1f));
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void NamesMetadataRoundTripsWithQuotes()
    {
        string[] names = ["zero", "it's", "a\\b", "plain"];
        string text = OnnxMetadataFormat.FormatNames(names);
        Assert.That(text, Is.EqualTo("{0: 'zero', 1: \"it's\", 2: 'a\\\\b', 3: 'plain'}"));
        Assert.That(OnnxMetadataFormat.ParseNames(text), Is.EqualTo(names));
    }

    [Test]
    public void MissingTensorIsReportedByName()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: 2);
        weights.Remove("model.4.m.0.cv2.bn.running_var");
        var error = Assert.Throws<InvalidDataException>(() =>
            OnnxExporter.ExportStateDict(weights, Path.Combine(Path.GetTempPath(), "never.onnx"), new OnnxExportMetadata(["a", "b"], 64)));
        Assert.That(error!.Message, Does.Contain("model.4.m.0.cv2.bn.running_var"));
    }
}
