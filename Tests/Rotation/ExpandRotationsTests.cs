using DigitMl.Augmentation;
using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitMl.Tests.Rotation;

/// <summary><c>mlContext.Data.ExpandRotations</c>: rotation augmentation as an ML.NET data operation.</summary>
public sealed class ExpandRotationsTests
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
        var output = ml.Data.ExpandRotations(data, null, out var report);
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
        var output = ml.Data.ExpandRotations(data, new RotationOptions { Policy = RotationPolicy.Keep });
        Assert.That(output.Preview().RowView, Has.Length.EqualTo(12));
        string[] expected = ["ImagePath", "Labels", "Boxes", "Width", "Height", "Rotation"];
        Assert.That(output.Schema.Select(c => c.Name), Is.EqualTo(expected));
        Assert.That(output.Schema["Labels"].Type, Is.InstanceOf<VectorDataViewType>());
        Assert.That(((VectorDataViewType)output.Schema["Boxes"].Type).ItemType, Is.EqualTo(NumberDataViewType.Single));
    }

    [Test]
    public void RelabelWorksThroughTheDataOperation()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml);
        var options = new RotationOptions { Policy = RotationPolicy.Relabel, RelabelMap = RotationOptions.ParseRelabelMap("6:9,9:6") };
        var output = ml.Data.ExpandRotations(data, options);
        var b = ml.Data.CreateEnumerable<YoloDataRow>(output, reuseRowObject: false).Where(r => r.ImagePath == "b.png").ToList();
        Assert.That(b.Select(r => (r.Rotation, r.Labels[0])), Is.EqualTo(new[] { (0f, "6"), (90f, "6"), (180f, "9"), (270f, "9") }));
    }

    [Test]
    public void TurnsLabelsEachCopyWithItsTurnAwareClassAndDropsNothing()
    {
        var ml = new MLContext(seed: 1);
        var output = ml.Data.ExpandRotations(Rows(ml), new RotationOptions { Policy = RotationPolicy.Turns }, out var report);
        var rows = ml.Data.CreateEnumerable<YoloDataRow>(output, reuseRowObject: false).ToList();
        Assert.That(rows, Has.Count.EqualTo(12), "every image at every angle, 6s included");
        Assert.That(report.Dropped, Is.Zero);
        var b = rows.Where(r => r.ImagePath == "b.png").ToList();
        Assert.That(b.Select(r => (r.Rotation, r.Labels[0])), Is.EqualTo(new[] { (0f, "6"), (90f, "6@90"), (180f, "6@180"), (270f, "6@270") }));
        var names = YoloDataRow.ReadClassNames(output.Schema)!;
        Assert.That(TurnClasses.TryGetPlainNames(names, out var plain), Is.True);
        Assert.That(plain, Is.EqualTo(new[] { "1", "2", "6" }));
        Assert.That(names[(2 * 3) + 2], Is.EqualTo("6@180"), "turn-major: turn * nc + class");
    }

    [Test]
    public void ExpandsTheReadersDataViewAndKeepsItsClassNames()
    {
        var ml = new MLContext(seed: 1);
        var dataset = YoloDataset.Load(TestData.TinyScenes.Create(12, 2, 2));
        var data = ml.Data.LoadFromYoloDataset(dataset.YamlPath, "train");
        var output = ml.Data.ExpandRotations(data, null, out var report);
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
    public void MissingColumnsAndBadRowsAreReportedClearly()
    {
        var ml = new MLContext(seed: 1);
        var wrong = ml.Data.LoadFromEnumerable(new[] { new { ImagePath = "x.png" } });
        Assert.That(() => ml.Data.ExpandRotations(wrong), Throws.ArgumentException.With.Message.Contains("'Labels'"));
        var bad = ml.Data.LoadFromEnumerable(new[] { new YoloDataRow { ImagePath = "bad.png", Labels = ["1"], Boxes = [0, 0, 1], Width = 4, Height = 4 } });
        Assert.That(() => ml.Data.ExpandRotations(bad), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("bad.png"));
    }
}
