using DigitMl;
using DigitMl.Data;
using DigitMl.Export;
using DigitMl.Modeling;
using DigitMl.Scoring;
using DigitMl.Training;
using DigitMl.Tests.TestData;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Tests.Scoring;

public sealed class YoloV8EstimatorTests
{
    [Test]
    public void FitInsideAnEstimatorChainTrainsExportsAndReturnsTheScoringChain()
    {
        var ml = new MLContext(seed: 1);
        var dataset = YoloDataset.Load(TinyScenes.Create(train: 4, val: 2, test: 1, imgsz: 64));
        var train = dataset.ToDataView(ml, "train");
        var val = dataset.ToDataView(ml, "val");
        string output = TinyScenes.NewTempDirectory("estimator");
        var options = new YoloV8TrainerOptions
        {
            Scale = YoloV8Scale.Tiny, ImageSize = 64, Epochs = 1, BatchSize = 4, Workers = 1, WarmupEpochs = 0,
            OutputDirectory = output, Seed = 1,
        };

        var estimator = ml.Detection().Trainers.YoloV8(options, val, new ScoringOptions { Confidence = 0.001f });
        var pipeline = ml.Transforms.CopyColumns("SourcePath", "ImagePath").Append(estimator);

        // a SchemaShape with the YoloDataRow columns (ML.NET has no public DataViewSchema -> SchemaShape)
        var inputShape = ml.Transforms.CustomMapping<EmptyRow, YoloDataRow>((_, _) => { }, null).GetOutputSchema(new SchemaShape([]));
        var expected = pipeline.GetOutputSchema(inputShape);
        Assert.That(expected.Select(c => c.Name), Is.SupersetOf(new[] { "SourcePath", "PredictedLabels", "PredictedBoxes", "Scores" }));

        var model = pipeline.Fit(train);
        Assert.That(File.Exists(Path.Combine(output, "model.onnx")), Is.True);
        Assert.That(estimator.LastResult!.EpochsRun, Is.EqualTo(1));

        var scored = model.Transform(val);
        var labels = scored.GetColumn<string[]>("PredictedLabels").ToList();
        var boxes = scored.GetColumn<float[]>("PredictedBoxes").ToList();
        Assert.That(labels, Has.Count.EqualTo(2));
        Assert.That(labels.Zip(boxes).All(p => p.Second.Length == p.First.Length * 4), Is.True);
        Assert.That(labels.SelectMany(l => l), Is.All.AnyOf(dataset.Names.ToArray()));

        // the run folder's checkpoint exports through the CLI (fresh process) into a servable artifact
        string artifact = Path.Combine(output, "artifact");
        var (exitCode, _, stderr) = PredictCommandTests.RunCli("export", "--model", output, "--out", Path.Combine(artifact, "model.onnx"), "--zip", Path.Combine(artifact, "model.zip"));
        Assert.That(exitCode, Is.Zero, stderr);
        using var detector = DigitDetector.Load(artifact, new ScoringOptions { Confidence = 0.001f });
        Assert.That(detector.Source, Does.EndWith("model.zip"));
        Assert.That(detector.Names, Is.EqualTo(dataset.Names));
        var samples = dataset.Split("val");
        var viaDetector = detector.Detect(samples[0].ImagePath);
        Assert.That(viaDetector.Select(d => d.Label), Is.EqualTo(labels[0]));
        using var fromCheckpoint = ModelPackage.LoadDetector(Path.Combine(output, "best.ckpt"), new ScoringOptions { Confidence = 0.001f });
        Assert.That(fromCheckpoint.Detect(samples[0].ImagePath), Is.EqualTo(viaDetector));
    }

    private sealed class EmptyRow
    {
    }
}
