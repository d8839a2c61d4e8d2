using DigitMl.Augmentation;
using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Tests.Rotation;

public sealed class RotationEstimatorTests
{
    private static IDataView Rows(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new YoloDataRow { ImagePath = "a.png", Labels = ["1", "2"], Boxes = [1, 0.5f, 3, 2, 4, 1, 5, 3], Width = 8, Height = 4 },
        new YoloDataRow { ImagePath = "b.png", Labels = ["6"], Boxes = [0, 0, 2, 2], Width = 8, Height = 4 },
        new YoloDataRow { ImagePath = "c.png", Labels = [], Boxes = [], Width = 5, Height = 5 },
    });

    [Test]
    public void DefaultAddsOneRowPerAngleMinusDroppedSixNineAngles()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml);
        var transformer = ml.Transforms.RotateForDetection().Fit(data);
        var output = transformer.Transform(data, out var report);
        var rows = ml.Data.CreateEnumerable<YoloDataRow>(output, reuseRowObject: false).ToList();
        // 3 originals + 3 at 90 + 2 at 180 + 2 at 270 (b.png holds a 6)
        Assert.That(rows, Has.Count.EqualTo(10));
        Assert.That(report.TotalRows, Is.EqualTo(10));
        Assert.That(rows.Count(r => r.ImagePath == "b.png"), Is.EqualTo(2));
        var a90 = rows.Single(r => r.ImagePath == "a.png" && r.Rotation == 90);
        Assert.That((a90.Width, a90.Height), Is.EqualTo((4f, 8f)));
        Assert.That(a90.Labels, Is.EqualTo(new[] { "1", "2" }));
        Assert.That(a90.Boxes, Is.EqualTo(new float[] { 2, 1, 3.5f, 3, 1, 4, 3, 5 }));
    }

    [Test]
    public void KeepPolicyQuadruplesAndSchemaIsTheReadersColumns()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml);
        var estimator = ml.Transforms.RotateForDetection(new RotationOptions { Policy = RotationPolicy.Keep });
        var output = estimator.Fit(data).Transform(data);
        Assert.That(output.Preview().RowView, Has.Length.EqualTo(12));
        string[] expected = ["ImagePath", "Labels", "Boxes", "Width", "Height", "Rotation"];
        Assert.That(output.Schema.Select(c => c.Name), Is.EqualTo(expected));
        Assert.That(output.Schema["Labels"].Type, Is.InstanceOf<VectorDataViewType>());
        Assert.That(((VectorDataViewType)output.Schema["Boxes"].Type).ItemType, Is.EqualTo(NumberDataViewType.Single));
        // SchemaShape.Create is internal to ML.NET; pipelines call it the same way when they check a chain
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(DataViewSchema)])!;
        var shape = estimator.GetOutputSchema((SchemaShape)create.Invoke(null, [data.Schema])!);
        Assert.That(shape.Select(c => c.Name), Is.EquivalentTo(expected));
    }

    [Test]
    public void RelabelWorksThroughTheEstimator()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml);
        var options = new RotationOptions { Policy = RotationPolicy.Relabel, RelabelMap = RotationOptions.ParseRelabelMap("6:9,9:6") };
        var output = ml.Transforms.RotateForDetection(options).Fit(data).Transform(data);
        var b = ml.Data.CreateEnumerable<YoloDataRow>(output, reuseRowObject: false).Where(r => r.ImagePath == "b.png").ToList();
        Assert.That(b.Select(r => (r.Rotation, r.Labels[0])), Is.EqualTo(new[] { (0f, "6"), (90f, "6"), (180f, "9"), (270f, "9") }));
    }

    [Test]
    public void TransformerIsTrainingOnlyNotARowMapperAndCannotBeSaved()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml);
        var chain = ml.Transforms.RotateForDetection().Append(ml.Transforms.CopyColumns("Path2", "ImagePath")).Fit(data);
        var rotation = chain.First();
        Assert.That(rotation.IsRowToRowMapper, Is.False);
        Assert.That(() => rotation.GetRowToRowMapper(data.Schema), Throws.InvalidOperationException);
        Assert.That(TrainingOnlyTransforms.In(chain), Has.Count.EqualTo(1));
        Assert.That(() => ml.Model.Save(chain, data.Schema, new MemoryStream()), Throws.InstanceOf<NotSupportedException>().With.Message.Contains("training-only"));
        // what gets saved and served is the chain after augmentation, which holds no training-only transform
        var scoring = new TransformerChain<ITransformer>(chain.Skip(1).ToArray());
        Assert.That(TrainingOnlyTransforms.In(scoring), Is.Empty);
    }

    [Test]
    public void ExpandsTheReadersDataViewAndKeepsItsClassNames()
    {
        var ml = new MLContext(seed: 1);
        var dataset = YoloDataset.Load(TestData.TinyScenes.Create(12, 2, 2));
        var data = ml.Data.LoadFromYoloDataset(dataset.YamlPath, "train");
        var output = ml.Transforms.RotateForDetection().Fit(data).Transform(data, out var report);
        var samples = dataset.Split("train");
        int withSixOrNine = samples.Count(s => s.Objects.Any(o => dataset.Names[o.ClassId] is "6" or "9"));
        Assert.That(output.Preview(1000).RowView, Has.Length.EqualTo((samples.Count * 4) - (2 * withSixOrNine)));
        Assert.That(report.Dropped, Is.EqualTo(2 * withSixOrNine));
        Assert.That(YoloDataRow.ReadClassNames(output.Schema), Is.EqualTo(dataset.Names));
        var rows = ml.Data.CreateEnumerable<YoloDataRow>(output, reuseRowObject: false).ToList();
        var turned = rows.Select(r => r.ToSample(dataset.Names)).Where(s => s.RotationDegrees == 90).ToList();
        Assert.That(turned, Has.Count.EqualTo(samples.Count));
        // a lazily turned sample decodes to the size its row claims
        var image = SampleImages.Load(turned[0]);
        Assert.That((image.Width, image.Height), Is.EqualTo((turned[0].Width, turned[0].Height)));
    }

    [Test]
    public void TheScoringChainHoldsNoAugmentationAndSavesWhileATrainingChainWithRotationCannot()
    {
        var ml = new MLContext(seed: 1);
        var scoring = DigitMl.Scoring.DetectionScoringChain.Create(ml, Scoring.ScoringFixtures.OnnxPath);
        Assert.That(TrainingOnlyTransforms.In(scoring), Is.Empty);
        var input = ml.Data.LoadFromEnumerable(Array.Empty<DigitMl.Scoring.DetectionScoringChain.ImagePathRow>());
        Assert.That(() => ml.Model.Save(scoring, input.Schema, new MemoryStream()), Throws.Nothing);

        // a chain that does hold the augmentation is detected and refuses to be saved as a model
        var rows = Rows(ml);
        var training = new TransformerChain<ITransformer>(ml.Transforms.RotateForDetection().Fit(rows), scoring);
        Assert.That(TrainingOnlyTransforms.In(training), Has.Count.EqualTo(1));
        Assert.That(() => ml.Model.Save(training, rows.Schema, new MemoryStream()), Throws.InstanceOf<NotSupportedException>());
    }

    [Test]
    public void MissingColumnsAndBadRowsAreReportedClearly()
    {
        var ml = new MLContext(seed: 1);
        var wrong = ml.Data.LoadFromEnumerable(new[] { new { ImagePath = "x.png" } });
        Assert.That(() => ml.Transforms.RotateForDetection().Fit(wrong), Throws.ArgumentException.With.Message.Contains("'Labels'"));
        var bad = ml.Data.LoadFromEnumerable(new[] { new YoloDataRow { ImagePath = "bad.png", Labels = ["1"], Boxes = [0, 0, 1], Width = 4, Height = 4 } });
        Assert.That(() => ml.Transforms.RotateForDetection().Fit(bad).Transform(bad), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("bad.png"));
    }
}
