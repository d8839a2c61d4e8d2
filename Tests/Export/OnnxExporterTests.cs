using DigitMl.Export;
using DigitMl.Scoring;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DigitMl.Tests.Export;

public sealed class OnnxExporterTests
{
    private static readonly List<string> TenNames = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Test]
    public void ExportedGraphRunsInOnnxRuntimeWithDynamicAxesAndReferenceMetadata()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: 10);
        string path = TempOnnx();
        try
        {
            OnnxExporter.ExportStateDict(weights, path, new OnnxExportMetadata(TenNames, 64, ConfigHash: "abc123"));
            using var session = new InferenceSession(path);
            Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(new[] { "images" }));
            Assert.That(session.OutputMetadata.Keys, Is.EquivalentTo(new[] { "output0" }));
            Assert.That(session.InputMetadata["images"].Dimensions, Is.EqualTo(new[] { -1, 3, -1, -1 }));
            Assert.That(session.InputMetadata["images"].SymbolicDimensions, Is.EqualTo(new[] { "batch", "", "height", "width" }));
            var meta = session.ModelMetadata.CustomMetadataMap;
            Assert.That(meta["names"], Is.EqualTo("{0: '0', 1: '1', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6', 7: '7', 8: '8', 9: '9'}"));
            Assert.That(meta["imgsz"], Is.EqualTo("[64, 64]"));
            Assert.That(meta["stride"], Is.EqualTo("32"));
            Assert.That(meta["task"], Is.EqualTo("detect"));
            Assert.That(meta["config_hash"], Is.EqualTo("abc123"));
            Assert.That(meta["orientations"], Is.EqualTo("1"));
            var info = OnnxModelInfo.Read(path);
            Assert.That((info.ImageSize, info.DynamicSpatialAxes, info.Orientations), Is.EqualTo((64, true, 1)));

            foreach (var (batch, height, width) in new[] { (1, 64, 64), (3, 64, 64), (2, 96, 160) })
            {
                var output = Run(session, batch, height, width)[0];
                int anchors = Anchors(height, width);
                Assert.That(output.Dimensions.ToArray(), Is.EqualTo(new[] { batch, 14, anchors }));
                Assert.That(output.ToArray().All(float.IsFinite), Is.True);
                // class scores are sigmoids, widths and heights non-negative; the last anchor is the bottom-right cell of stride 32
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
    public void DynamicGraphMatchesTheFixedSizeGraphAtTheTrainingSize()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: 10);
        string dynamicPath = TempOnnx(), fixedPath = TempOnnx();
        try
        {
            OnnxExporter.ExportStateDict(weights, dynamicPath, new OnnxExportMetadata(TenNames, 96));
            OnnxExporter.ExportStateDict(weights, fixedPath, new OnnxExportMetadata(TenNames, 96) { DynamicSpatialAxes = false });
            using var dynamicSession = new InferenceSession(dynamicPath);
            using var fixedSession = new InferenceSession(fixedPath);
            Assert.That(fixedSession.InputMetadata["images"].Dimensions, Is.EqualTo(new[] { -1, 3, 96, 96 }));
            Assert.That(fixedSession.OutputMetadata["output0"].Dimensions, Is.EqualTo(new[] { -1, 14, Anchors(96, 96) }));
            var fromDynamic = Run(dynamicSession, 2, 96, 96)[0].ToArray();
            var fromFixed = Run(fixedSession, 2, 96, 96)[0].ToArray();
            // anchors from the Shape/Range nodes hold the same values as the constant anchors
            Assert.That(MaxDifference(fromDynamic, fromFixed), Is.LessThanOrEqualTo(1e-5));
            var info = OnnxModelInfo.Read(fixedPath);
            Assert.That((info.DynamicSpatialAxes, info.InputWidth, info.InputHeight, info.ImageSize), Is.EqualTo((false, 96, 96, 96)));
        }
        finally
        {
            File.Delete(dynamicPath);
            File.Delete(fixedPath);
        }
    }

    [Test]
    public void TurnAwareModelExportsOutput0AsTheMaxOverTurnsPlusTheTurnsOutput()
    {
        const int nc = 3;
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: nc, orientations: 4);
        string path = TempOnnx();
        try
        {
            OnnxExporter.ExportStateDict(weights, path, new OnnxExportMetadata(["a", "b", "c"], 64) { Orientations = 4 });
            using var session = new InferenceSession(path);
            Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { "output0", "turns" }));
            Assert.That(session.OutputMetadata["output0"].Dimensions, Is.EqualTo(new[] { -1, 4 + nc, -1 }));
            Assert.That(session.OutputMetadata["turns"].Dimensions, Is.EqualTo(new[] { -1, 4 * nc, -1 }));
            var meta = session.ModelMetadata.CustomMetadataMap;
            Assert.That(meta["orientations"], Is.EqualTo("4"));
            Assert.That(meta["names"], Is.EqualTo("{0: 'a', 1: 'b', 2: 'c'}"));
            var info = OnnxModelInfo.Read(path);
            Assert.That((info.Orientations, info.Names.Count, info.Outputs), Is.EqualTo((4, nc, 4 + nc)));

            var outputs = Run(session, 2, 64, 96);
            var output0 = outputs[0];
            var turns = outputs[1];
            int anchors = Anchors(64, 96);
            Assert.That(turns.Dimensions.ToArray(), Is.EqualTo(new[] { 2, 4 * nc, anchors }));
            for (int b = 0; b < 2; b++)
            {
                for (int a = 0; a < anchors; a++)
                {
                    for (int c = 0; c < nc; c++)
                    {
                        float best = Enumerable.Range(0, 4).Max(t => turns[b, (t * nc) + c, a]);
                        Assert.That(output0[b, 4 + c, a], Is.EqualTo(best), $"class {c} anchor {a}");
                    }
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void TurnAwareWeightsExportedAsPlainFailWithAHint()
    {
        var weights = SyntheticYoloWeights.Create(0.33, 0.125, 1024, numClasses: 2, orientations: 4);
        var error = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.ExportStateDict(weights, Path.Combine(Path.GetTempPath(), "never.onnx"), new OnnxExportMetadata(["a", "b"], 64)));
        Assert.That(error!.Message, Does.Contain("8 channels").And.Contain("Orientations = 4"));
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

    internal static int Anchors(int height, int width) =>
        new[] { 8, 16, 32 }.Sum(s => height / s * (width / s));

    internal static double MaxDifference(float[] a, float[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static string TempOnnx() => Path.Combine(Path.GetTempPath(), $"digitml-export-{Guid.NewGuid():N}.onnx");

    private static List<Tensor<float>> Run(InferenceSession session, int batch, int height, int width)
    {
        var input = new DenseTensor<float>(new[] { batch, 3, height, width });
        var random = new Random(batch + height);
        for (int i = 0; i < input.Length; i++) input.SetValue(i, (float)random.NextDouble());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("images", input)]);
        return results.Select(r => (Tensor<float>)r.AsTensor<float>().Clone()).ToList();
    }
}
