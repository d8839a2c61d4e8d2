using System.Text.Json;
using DigitMl.Data;
using DigitMl.Evaluation;
using DigitMl.Evaluation.Coco;
using DigitMl.Experiments.Cli;
using DigitMl.Experiments.Sweeps;
using DigitMl.Modeling;
using DigitMl.Tests.TestData;
using DigitMl.Training;
using Microsoft.ML;
using Spectre.Console;

namespace DigitMl.Tests.Evaluation;

/// <summary>Where the COCO figures reach users: metrics.json, the ML.NET catalog, `evaluate --metrics`, the sweep winner's test split.</summary>
public sealed class CocoMetricsOutputTests
{
    private static readonly string[] CocoKeys =
        ["map", "map_50", "map_75", "map_small", "map_medium", "map_large", "mar_1", "mar_10", "mar_100", "mar_small", "mar_medium", "mar_large"];

    private static readonly string[] Names = ["0", "1"];

    private static (IReadOnlyList<LabeledBox>[] Truth, IReadOnlyList<Detection>[] Predictions) TwoImages() =>
    (
        [[new LabeledBox(0, new BoundingBox(10, 10, 30, 30)), new LabeledBox(0, new BoundingBox(60, 60, 110, 110))], [new LabeledBox(1, new BoundingBox(0, 0, 40, 40))]],
        [[new Detection(0, "0", 0.9f, new BoundingBox(10, 10, 30, 24.4f))], [new Detection(1, "1", 0.7f, new BoundingBox(0, 0, 40, 36))]]
    );

    [Test]
    public void MetricsJsonKeepsItsKeysAndAddsACocoObjectOnlyWhenAsked()
    {
        var (truth, predictions) = TwoImages();
        var plain = DetectionEvaluator.Evaluate(truth, predictions, Names);
        var both = DetectionEvaluator.Evaluate(truth, predictions, Names, new EvaluationOptions { IncludeCoco = true });

        using var plainJson = JsonDocument.Parse(plain.ToJson());
        using var bothJson = JsonDocument.Parse(both.ToJson());
        var plainKeys = plainJson.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.That(plainKeys, Does.Not.Contain("coco"));
        Assert.That(bothJson.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(plainKeys.Append("coco")), "the existing keys stay, in their order");
        foreach (var key in plainKeys.Where(k => k != "per_class"))
            Assert.That(bothJson.RootElement.GetProperty(key).ToString(), Is.EqualTo(plainJson.RootElement.GetProperty(key).ToString()), key);

        var coco = bothJson.RootElement.GetProperty("coco");
        var expected = CocoEvaluator.Evaluate(truth, predictions, Names);
        Assert.That(coco.EnumerateObject().Select(p => p.Name).Take(12), Is.EqualTo(CocoKeys));
        Assert.That(coco.GetProperty("map").GetDouble(), Is.EqualTo(expected.Figures.Map).Within(1e-6));
        Assert.That(coco.GetProperty("mar_1").GetDouble(), Is.EqualTo(expected.Figures.Mar1).Within(1e-6));
        Assert.That(coco.GetProperty("map_large").GetDouble(), Is.EqualTo(-1));
        Assert.That(coco.GetProperty("images").GetInt32(), Is.EqualTo(2));
        var perClass = coco.GetProperty("per_class").EnumerateArray().ToList();
        Assert.That(perClass.Select(c => c.GetProperty("name").GetString()), Is.EqualTo(Names));
        Assert.That(perClass[1].GetProperty("instances").GetInt32(), Is.EqualTo(1));
        Assert.That(perClass[1].GetProperty("map_50").GetDouble(), Is.EqualTo(expected.PerClass[1].Figures.Map50).Within(1e-6));
        foreach (var key in CocoKeys) Assert.That(perClass[0].TryGetProperty(key, out _), Is.True, key);
    }

    private sealed class Row
    {
        public string[] Labels { get; set; } = [];
        public float[] Boxes { get; set; } = [];
        public string[] PredictedLabels { get; set; } = [];
        public float[] PredictedBoxes { get; set; } = [];
        public float[] Scores { get; set; } = [];
    }

    [Test]
    public void TheMlNetCatalogGivesTheCocoFiguresThroughItsOptions()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Row { Labels = ["0", "0"], Boxes = [10, 10, 30, 30, 60, 60, 110, 110], PredictedLabels = ["0", "0"], PredictedBoxes = [10, 10, 30, 24.4f, 60, 60, 110, 91], Scores = [0.9f, 0.8f] },
            new Row { Labels = ["1"], Boxes = [0, 0, 40, 40] },
        });

        Assert.That(ml.Detection().Evaluate(data, names: Names).Coco, Is.Null, "off by default: training validates without it");
        var metrics = ml.Detection().Evaluate(data, names: Names, options: new EvaluationOptions { IncludeCoco = true });

        // class 0 is CocoEvaluatorTests' hand-computed image; class 1 is missed: the means halve
        Assert.That(metrics.Coco!.PerClass[0].Figures.Map, Is.EqualTo((3 + (2 * 51.0 / 101)) / 10).Within(1e-9));
        Assert.That(metrics.Coco.PerClass[1].Figures.Map, Is.Zero);
        Assert.That(metrics.Coco.Figures.Map, Is.EqualTo((3 + (2 * 51.0 / 101)) / 20).Within(1e-9));
        Assert.That(metrics.Coco.Figures.Mar100, Is.EqualTo(0.2).Within(1e-9));
    }

    private static (int Code, string Output) Evaluate(params string[] args)
    {
        var output = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        try
        {
            return (DigitMlApp.Run(["evaluate", .. args]), output.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }

    [Test]
    public void EvaluateMetricsChoosesTheDefinitionsPrintedAndWritten()
    {
        var yaml = TinyScenes.Create(4, 4, 6);
        var dataset = YoloDataset.Load(yaml);
        var samples = dataset.Split("test");
        var dir = TinyScenes.NewTempDirectory("eval-coco");
        var preds = Path.Combine(dir, "preds");
        PredictionFiles.Write(preds, samples, samples.Select(s => (IReadOnlyList<Detection>)s.Objects
            .Select(o => new Detection(o.ClassId, dataset.Names[o.ClassId], 0.8f, o.Box)).ToList()).ToList());
        string[] common = ["--predictions", preds, "--data", yaml, "--split", "test", "--json"];

        var (code, output) = Evaluate([.. common, Path.Combine(dir, "both.json")]);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("mAP50-95").And.Contain("Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000"), "both by default");
        using (var both = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "both.json"))))
        {
            Assert.That(both.RootElement.GetProperty("map50_95").GetDouble(), Is.EqualTo(0.995).Within(1e-6));
            Assert.That(both.RootElement.GetProperty("coco").GetProperty("map").GetDouble(), Is.EqualTo(1).Within(1e-6));
        }

        (code, output) = Evaluate([.. common, Path.Combine(dir, "u.json"), "--metrics", "ultralytics"]);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("mAP50-95").And.Not.Contain("Average Precision"));
        using (var ultralytics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "u.json"))))
            Assert.That(ultralytics.RootElement.TryGetProperty("coco", out _), Is.False);

        (code, output) = Evaluate([.. common, Path.Combine(dir, "c.json"), "--metrics", "coco"]);
        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000").And.Not.Contain("mAP50-95"));
        using (var coco = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "c.json"))))
        {
            Assert.That(coco.RootElement.TryGetProperty("map50", out _), Is.True, "the contract keys are always written");
            Assert.That(coco.RootElement.TryGetProperty("coco", out _), Is.True);
        }

        Assert.That(Evaluate([.. common, Path.Combine(dir, "x.json"), "--metrics", "voc"]).Code, Is.EqualTo(ErrorReporter.UsageError));
    }

    [Test]
    public void TheSweepScoresItsWinnerOnTheTestSplitInBothDefinitions()
    {
        var yaml = TinyScenes.Create(4, 4, 6);
        var version = TinyScenes.NewTempDirectory("winner");
        TorchSharp.torch.manual_seed(5);
        using (var model = new YoloV8Model(YoloV8Scale.Tiny, 10))
        {
            var info = new CheckpointInfo { Names = [.. YoloDataset.Load(yaml).Names], Scale = YoloV8Scale.Tiny, ImageSize = 64, Epoch = 1 };
            Checkpoint.Save(Path.Combine(version, "best.ckpt"), model, null, null, info, null);
        }
        var executor = new YoloTrialExecutor();

        var json = executor.EvaluateTest(executor.Prepare(yaml, skipInvalid: false), version, CancellationToken.None);

        using var doc = JsonDocument.Parse(json);
        Assert.That(doc.RootElement.TryGetProperty("map50_95", out _), Is.True);
        var coco = doc.RootElement.GetProperty("coco");
        foreach (var key in CocoKeys) Assert.That(coco.TryGetProperty(key, out _), Is.True, key);
        Assert.That(coco.GetProperty("images").GetInt32(), Is.EqualTo(6));
    }
}
