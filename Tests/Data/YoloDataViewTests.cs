using DigitMl.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DigitMl.Tests.Data;

public sealed class YoloDataViewTests
{
    [Test]
    public void DataViewHasTheContractColumnsAndRoundTripsSamples()
    {
        var ml = new MLContext(seed: 1);
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("folders"));
        var view = dataset.ToDataView(ml, "train");
        var schema = view.Schema;
        Assert.That(schema["ImagePath"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(schema["Labels"].Type, Is.EqualTo(new VectorDataViewType(TextDataViewType.Instance)));
        Assert.That(schema["Boxes"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single)));
        foreach (string column in new[] { "Width", "Height", "Rotation" })
            Assert.That(schema[column].Type, Is.EqualTo(NumberDataViewType.Single), column);
        Assert.That(YoloDataRow.ReadClassNames(schema), Is.EqualTo(dataset.Names));

        var rows = ml.Data.CreateEnumerable<YoloDataRow>(view, reuseRowObject: false).ToList();
        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(rows[0].Labels, Is.EqualTo(new[] { "one" }));
        Assert.That(rows[0].Boxes, Is.EqualTo(new[] { 6f, 3f, 10f, 9f }));
        Assert.That(rows[3].Labels, Is.Empty);
        var back = rows.Select(r => r.ToSample(dataset.Names)).ToList();
        var train = dataset.Split("train");
        for (int i = 0; i < train.Count; i++)
        {
            Assert.That(back[i].ImagePath, Is.EqualTo(train[i].ImagePath));
            Assert.That((back[i].Width, back[i].Height, back[i].RotationDegrees), Is.EqualTo((train[i].Width, train[i].Height, 0)));
            Assert.That(back[i].Objects, Is.EqualTo(train[i].Objects));
        }
    }

    [Test]
    public void LoadFromYoloDatasetReadsOneSplit()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromYoloDataset(DatasetFixtures.Yaml("txt-list"), "val");
        var row = ml.Data.CreateEnumerable<YoloDataRow>(view, reuseRowObject: false).Single();
        Assert.That(row.ImagePath, Does.EndWith("three.png"));
        Assert.That(row.Labels, Is.EqualTo(new[] { "dog" }));
        Assert.That(YoloDataRow.ReadClassNames(view.Schema), Is.EqualTo(new[] { "cat", "dog" }));
    }

    [Test]
    public void UnknownLabelNamesAreRejectedWhenMappingBack()
    {
        var row = new YoloDataRow { ImagePath = "a.png", Labels = ["seven"], Boxes = [0, 0, 1, 1], Width = 4, Height = 4 };
        var error = Assert.Throws<InvalidDataException>(() => row.ToSample(["zero", "one"]));
        Assert.That(error!.Message, Does.Contain("a.png: label 'seven'"));
    }

    [Test]
    public void LoadImagesAppendsADecodedImageColumn()
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromYoloDataset(DatasetFixtures.Yaml("folders"), "train");
        var withImages = ml.Transforms.LoadImages("Image", null, "ImagePath").Fit(view).Transform(view);
        Assert.That(withImages.Schema["Image"].Type, Is.InstanceOf<ImageDataViewType>());
        using var cursor = withImages.GetRowCursor(withImages.Schema);
        var getter = cursor.GetGetter<MLImage>(withImages.Schema["Image"]);
        Assert.That(cursor.MoveNext(), Is.True);
        MLImage image = null!;
        getter(ref image);
        Assert.That((image.Width, image.Height), Is.EqualTo((16, 12)));
        image.Dispose();
    }
}
