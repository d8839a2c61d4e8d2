using System.Text.Json;
using DigitMl.Experiments.Cli;
using DigitMl.Data;
using DigitMl.Modeling;
using DigitMl.Export;
using DigitMl.Data.Scenes;
using DigitMl.Augmentation.Rotation;
using DigitMl.Evaluation;
using DigitMl.Scoring;
using DigitMl.Tests.TestData;
using Spectre.Console.Cli;

namespace DigitMl.Tests.Evaluation;

public sealed class EvaluateCommandTests
{
    private static int Run(params string[] args)
    {
        var app = new CommandApp();
        app.Configure(DigitMlApp.Configure);
        return app.Run(args);
    }

    [Test]
    public void PredictionFolderIsScoredAsTheLibraryScoresIt()
    {
        var yaml = TinyScenes.Create(4, 4, 6);
        var dataset = YoloDataset.Load(yaml);
        var samples = dataset.Split("test");
        Assume.That(samples.Sum(s => s.Objects.Count), Is.GreaterThan(0), "the tiny test split has digits");
        var dir = TinyScenes.NewTempDirectory("eval-cmd");
        var predictions = samples.Select(s => (IReadOnlyList<Detection>)s.Objects
            .Select(o => new Detection(o.ClassId, dataset.Names[o.ClassId], 0.9f, o.Box)).ToList()).ToList();
        PredictionFiles.Write(Path.Combine(dir, "preds"), samples, predictions);
        // one image without a prediction file: all of its objects are missed
        File.Delete(PredictionFiles.PathFor(Path.Combine(dir, "preds"), samples.First(s => s.Objects.Count > 0)));

        var json = Path.Combine(dir, "metrics.json");
        var plots = Path.Combine(dir, "plots");
        int code = Run("evaluate", "--predictions", Path.Combine(dir, "preds"), "--data", yaml, "--split", "test", "--json", json, "--plots", plots);

        Assert.That(code, Is.Zero);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        foreach (var key in new[] { "map50", "map50_95", "precision", "recall", "f1", "conf_at_best_f1", "images", "instances", "per_class" })
            Assert.That(root.TryGetProperty(key, out _), Is.True, key);
        Assert.That(root.GetProperty("images").GetInt32(), Is.EqualTo(samples.Count));
        Assert.That(root.GetProperty("instances").GetInt32(), Is.EqualTo(samples.Sum(s => s.Objects.Count)));
        Assert.That(root.GetProperty("map50").GetDouble(), Is.GreaterThan(0).And.LessThanOrEqualTo(0.995));
        var expected = DetectionEvaluator.Evaluate(samples.Select(s => s.Objects).ToArray(),
            PredictionFiles.Read(Path.Combine(dir, "preds"), samples, dataset.Names), dataset.Names);
        Assert.That(root.GetProperty("map50").GetDouble(), Is.EqualTo(expected.Map50).Within(1e-6));
        foreach (var name in EvaluationPlots.FileNames.Append("val_predictions.png"))
            Assert.That(File.Exists(Path.Combine(plots, name)), Is.True, name);
    }

    [Test]
    public void ModelModeNamesAMissingModelFile()
    {
        var yaml = TinyScenes.Create(4, 4, 6);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.That(Run("evaluate", "--model", "nowhere/model.onnx", "--data", yaml), Is.EqualTo(ErrorReporter.Failure));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.That(error.ToString(), Does.Contain("nowhere/model.onnx"));
    }

    [Test]
    public void ModelModeScoresAnOnnxModelAndReportsEveryPageRotation()
    {
        // a copy of a tiny dataset with turned test splits (test_rot0..270), and an untrained tiny model exported to ONNX
        string dir = TinyScenes.NewTempDirectory("eval-model");
        string yaml = SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(dir, "scenes"), TinyScenes.Options(2, 1, 3));
        RotatedSplits.Write(yaml, "test", [0, 90, 180, 270]);
        string onnx = Path.Combine(dir, "model.onnx");
        TorchSharp.torch.manual_seed(3);
        using (var model = new YoloV8Model(YoloV8Scale.Tiny, 10))
        {
            model.eval();
            OnnxExporter.Export(model, onnx, new OnnxExportMetadata(SceneGenerator.ClassNames, 64));
        }
        string json = Path.Combine(dir, "metrics.json");

        Assert.That(Run("evaluate", "--model", onnx, "--data", yaml, "--split", "test", "--json", json), Is.Zero);

        using var metrics = JsonDocument.Parse(File.ReadAllText(json));
        Assert.That(metrics.RootElement.GetProperty("images").GetInt32(), Is.EqualTo(3));
        using var rotations = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.rotations.json")));
        var rows = rotations.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("rotation").GetString()).ToList();
        Assert.That(rows, Is.EqualTo(new[] { "0", "90", "180", "270", "all" }));
    }

    [Test]
    public void ModelAndPredictionsTogetherIsAUsageError()
    {
        Assert.That(Run("evaluate", "--model", "m.onnx", "--predictions", "dir"), Is.Not.Zero);
        Assert.That(Run("evaluate"), Is.Not.Zero);
    }
}
