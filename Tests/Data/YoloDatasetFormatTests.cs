using DigitMl.Data;

namespace DigitMl.Tests.Data;

public sealed class YoloDatasetFormatTests
{
    private static string Dir(string fixture) => Path.GetDirectoryName(DatasetFixtures.Yaml(fixture))!;

    [Test]
    public void FolderSplitsReadEveryFormatSortedWithPixelBoxes()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("folders"));
        Assert.That(dataset.Names, Is.EqualTo(new[] { "zero", "one", "two" }));
        Assert.That(dataset.SplitNames, Is.EqualTo(new[] { "train", "val", "test" }));
        Assert.That(dataset.Root, Is.EqualTo(Dir("folders")));
        Assert.That(dataset.SplitSources("train"), Is.EqualTo(new[] { Path.Combine(Dir("folders"), "images", "train") }));

        var train = dataset.Split("train");
        Assert.That(train.Select(s => Path.GetRelativePath(dataset.Root, s.ImagePath)), Is.EqualTo(new[]
        {
            "images/train/a_rgb.png", "images/train/b_gray.png", "images/train/c_rgba.png", "images/train/d_nolabel.png", "images/train/sub/e.BMP",
        }));
        Assert.That(train.All(s => s.Width == 16 && s.Height == 12), Is.True);
        Assert.That(train[0].Objects, Is.EqualTo(new[] { new LabeledBox(1, new BoundingBox(6, 3, 10, 9)) }));
        Assert.That(train[3].Objects, Is.Empty, "missing label file = no objects");
        Assert.That(train[4].Objects, Has.Count.EqualTo(1));

        var clipped = train[2].Objects[1].Box;
        Assert.That(clipped.X1, Is.EqualTo(16f), "corner 1.005 is within tolerance and clipped");
        Assert.That(clipped.X0, Is.EqualTo(0.985f * 16).Within(1e-3));

        Assert.That(dataset.Split("val").Single().ImagePath, Does.EndWith("f.webp"));
        Assert.That(dataset.Split("test").Single().ImagePath, Does.EndWith("g.JPG"));
        Assert.That(dataset.Problems, Is.Empty);
    }

    [Test]
    public void GrayAndRgbaPngsDecodeToRgb()
    {
        var train = YoloDataset.Load(DatasetFixtures.Yaml("folders")).Split("train");
        var gray = SampleImages.Load(train[1]);
        Assert.That(gray.Pixels.Take(3), Is.EqualTo(new byte[] { 230, 230, 230 }));
        Assert.That(gray.Pixels.Skip(((1 * 16) + 3) * 3).Take(3), Is.EqualTo(new byte[] { 20, 20, 20 }), "inside the box");
        var rgba = SampleImages.Load(train[2]);
        Assert.That(rgba.Pixels.Take(3), Is.EqualTo(new byte[] { 255, 255, 255 }), "transparent paper composites over white");
        Assert.That(rgba.Pixels.Skip(((6 * 16) + 12) * 3).Take(3), Is.EqualTo(new byte[] { 20, 20, 20 }));
    }

    [Test]
    public void ListOfFoldersAndExtraImageKeys()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("folder-list"));
        Assert.That(dataset.SplitNames, Is.EqualTo(new[] { "train", "val", "calibration" }), "license is not an image source");
        Assert.That(dataset.Split("train").Select(s => Path.GetFileName(s.ImagePath)), Is.EqualTo(new[] { "x.png", "y.png" }));
        Assert.That(dataset.SplitSources("train"), Has.Count.EqualTo(2));
        Assert.That(dataset.Split("calibration").Single().Objects.Single().ClassId, Is.Zero);
        Assert.That(dataset.HasSplit("test"), Is.False);
        var error = Assert.Throws<ArgumentException>(() => dataset.Split("test"));
        Assert.That(error!.Message, Does.Contain("no split 'test'").And.Contain("train, val, calibration"));
    }

    [Test]
    public void TxtListsResolveAgainstTheirFolderAndNamesMayBeAMap()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("txt-list"));
        Assert.That(dataset.Names, Is.EqualTo(new[] { "cat", "dog" }));
        Assert.That(dataset.SplitSources("train"), Is.EqualTo(new[] { Path.Combine(Dir("txt-list"), "train.txt") }));
        Assert.That(dataset.Split("train").Select(s => Path.GetFileName(s.ImagePath)), Is.EqualTo(new[] { "one.png", "two.png" }));
        Assert.That(dataset.Split("train")[1].Objects.Single().ClassId, Is.EqualTo(1));
        Assert.That(dataset.Split("val").Single().ImagePath, Is.EqualTo(Path.Combine(Dir("txt-list"), "images", "three.png")));
    }

    [Test]
    public void MissingPathMeansTheYamlFolder()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("no-path"));
        Assert.That(dataset.Root, Is.EqualTo(Dir("no-path")));
        Assert.That(dataset.Names, Is.EqualTo(new[] { "x" }));
        Assert.That(dataset.Split("train").Single().Objects, Has.Count.EqualTo(1), "images/p.png -> labels/p.txt");
    }

    [Test]
    public void RelativePathResolvesAgainstTheYamlFolder()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("relative-path", "config/data.yaml"));
        Assert.That(dataset.Root, Is.EqualTo(Path.Combine(Dir("relative-path"), "data")));
        Assert.That(dataset.Split("train").Single().Objects.Single().ClassId, Is.EqualTo(2));
    }

    [Test]
    public void RoboflowParentPathsFallBackInsideTheDataset()
    {
        var dataset = YoloDataset.Load(DatasetFixtures.Yaml("roboflow"));
        Assert.That(dataset.SplitNames, Is.EqualTo(new[] { "train", "val" }));
        Assert.That(dataset.SplitSources("train"), Is.EqualTo(new[] { Path.Combine(Dir("roboflow"), "train", "images") }));
        Assert.That(dataset.Names, Is.EqualTo(new[] { "digit-0", "digit-1" }));
        Assert.That(dataset.Split("val").Single().Objects.Single().ClassId, Is.Zero);
    }

    [Test]
    public void ExifRotatedJpegGetsDisplaySizeAndBoxes()
    {
        var sample = YoloDataset.Load(DatasetFixtures.Yaml("exif")).Split("train").Single();
        Assert.That((sample.Width, sample.Height), Is.EqualTo((8, 16)));
        Assert.That(sample.Objects.Single().Box, Is.EqualTo(new BoundingBox(0, 0, 8, 8)));
    }

    [Test]
    public void DescribeNamesTheResolvedSources()
    {
        string text = YoloDataset.Load(DatasetFixtures.Yaml("folders")).Describe();
        Assert.That(text, Does.Contain(Path.Combine(Dir("folders"), "images", "val")).And.Contain("train: 5 images, 5 objects"));
    }
}
