using System.Security.Cryptography;
using System.Text.Json;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Tests.Modeling;

/// <summary>
/// Reading an Ultralytics checkpoint (a whole pickled DetectionModel, as yolov8n.pt) without Python, on the fixture
/// Tests/Fixtures/ultralytics/tiny-yolov8.pt that make_fixture.py writes the way Ultralytics does (README there).
/// </summary>
public sealed class UltralyticsCheckpointTests
{
    private static string Fixture(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "ultralytics", file);

    private static JsonElement Expected()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Fixture("tiny-yolov8.expected.json")));
        return document.RootElement.Clone();
    }

    [Test]
    public void EveryStateDictEntryIsReadWithTheReferenceNameShapeTypeAndBytes()
    {
        var checkpoint = UltralyticsCheckpointReader.Read(Fixture("tiny-yolov8.pt"));
        var expected = Expected().GetProperty("state_dict").EnumerateArray().ToList();

        Assert.That(checkpoint.Entry, Is.EqualTo("model"), "'ema' is None in a stripped checkpoint");
        Assert.That(checkpoint.ModelClass, Does.Contain("DetectionModel"));
        Assert.That(checkpoint.UltralyticsVersion, Is.EqualTo("8.1.0"));
        Assert.That(checkpoint.Names, Is.EqualTo(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(checkpoint.Weights.Keys, Is.EquivalentTo(expected.Select(e => e.GetProperty("name").GetString())));
        foreach (var entry in expected)
        {
            var tensor = checkpoint.Weights[entry.GetProperty("name").GetString()!];
            Assert.That(tensor.Shape, Is.EqualTo(entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())), tensor.Name);
            Assert.That(tensor.DType, Is.EqualTo(entry.GetProperty("dtype").GetString() == "int64" ? ScalarType.Int64 : ScalarType.Float16), tensor.Name);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(tensor.Data)), Is.EqualTo(entry.GetProperty("sha256").GetString()), tensor.Name);
        }
    }

    [Test]
    public void LoadedIntoOurTinyModelEveryTensorMatchesAndTheOutputIsThePythonOutput()
    {
        var expected = Expected();
        manual_seed(5);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        var report = WeightTransfer.LoadInto(model, Fixture("tiny-yolov8.pt"));

        Assert.That(report.Loaded, Has.Count.EqualTo(model.state_dict().Count));
        Assert.That(report.Skipped, Is.Empty);
        Assert.That(report.Missing, Is.Empty);
        Assert.That(report.Unexpected, Is.Empty);

        model.eval();
        using var scope = NewDisposeScope();
        var image = linspace(0, 1, 3 * 64 * 64).view(1, 3, 64, 64);
        using var noGrad = no_grad();
        var output = model.Predict(image);
        var shape = expected.GetProperty("output_shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        Assert.That(output.shape, Is.EqualTo(shape));
        float[] actual = output.data<float>().ToArray();
        float[] reference = expected.GetProperty("output").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        double worst = actual.Zip(reference).Max(p => Math.Abs(p.First - p.Second) / (1 + Math.Abs(p.Second)));
        Assert.That(worst, Is.LessThan(1e-4), "largest relative difference to PyTorch's output of the same weights");
    }

    [Test]
    public void FewerClassesReinitialiseTheClassOutputsAndKeepEverythingElse()
    {
        manual_seed(6);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 3);
        var report = WeightTransfer.LoadInto(model, Fixture("tiny-yolov8.pt"));
        string[] classOutputs = Enumerable.Range(0, 3).SelectMany(l => new[] { $"model.22.cv3.{l}.2.weight", $"model.22.cv3.{l}.2.bias" }).ToArray();
        Assert.That(report.Reinitialised, Is.EquivalentTo(classOutputs));
        Assert.That(report.Loaded, Has.Count.EqualTo(model.state_dict().Count - classOutputs.Length));
    }

    [Test]
    public void ABareStateDictOfViewsIsReadInRowMajorOrder()
    {
        var checkpoint = UltralyticsCheckpointReader.Read(Fixture("views-state-dict.pt"));
        using var document = JsonDocument.Parse(File.ReadAllText(Fixture("views-state-dict.expected.json")));
        Assert.That(checkpoint.Entry, Is.EqualTo("state dict"));
        Assert.That(checkpoint.Weights.Keys, Is.EquivalentTo(new[] { "transposed", "sliced", "counter" }));
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            var tensor = checkpoint.Weights[entry.Name];
            Assert.That(tensor.Shape, Is.EqualTo(entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())), entry.Name);
            var values = entry.Value.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            double[] actual = tensor.DType == ScalarType.Int64
                ? Enumerable.Range(0, values.Length).Select(i => (double)BitConverter.ToInt64(tensor.Data, i * 8)).ToArray()
                : Enumerable.Range(0, values.Length).Select(i => (double)BitConverter.ToSingle(tensor.Data, i * 4)).ToArray();
            Assert.That(actual, Is.EqualTo(values), entry.Name);
        }
    }

    [Test]
    public void ABrokenArchiveIsRejectedNamingTheFileAndTheConversion()
    {
        string dir = TestData.TinyScenes.NewTempDirectory("ultralytics");
        string path = Path.Combine(dir, "cut.pt");
        byte[] bytes = File.ReadAllBytes(Fixture("tiny-yolov8.pt"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var model = new YoloV8Model(YoloV8Scale.Tiny, 10);
        Assert.That(() => WeightTransfer.LoadInto(model, path),
            Throws.InstanceOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("save_file("));
    }
}
