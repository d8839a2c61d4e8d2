using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Rotation;

public sealed class RotatedDatasetFilesTests
{
    private static void AssertBoxesClose(IReadOnlyList<LabeledBox> actual, IReadOnlyList<LabeledBox> expected)
    {
        Assert.That(actual.Select(o => o.ClassId), Is.EqualTo(expected.Select(o => o.ClassId)));
        for (int i = 0; i < actual.Count; i++)
        {
            var (a, e) = (actual[i].Box, expected[i].Box);
            Assert.That(new[] { a.X0, a.Y0, a.X1, a.Y1 }, Is.EqualTo(new[] { e.X0, e.Y0, e.X1, e.Y1 }).Within(1e-3f));
        }
    }

    [Test]
    public void AugmentWritesADatasetTheReaderLoads()
    {
        string source = TinyScenes.Create(10, 3, 2, imgsz: 48, seed: 4);
        var original = YoloDataset.Load(source);
        string outDir = Path.Combine(TinyScenes.NewTempDirectory("augment"), "rotated");
        var summary = AugmentedDataset.Write(source, outDir, new RotationOptions());

        var written = YoloDataset.Load(summary.DataYamlPath);
        Assert.That(written.Names, Is.EqualTo(original.Names));
        Assert.That(written.SplitNames, Is.EquivalentTo(original.SplitNames));
        Assert.That(written.Split("val"), Has.Count.EqualTo(3));
        Assert.That(written.Split("test"), Has.Count.EqualTo(2));
        var train = original.Split("train");
        int ambiguous = train.Count(s => s.Objects.Any(o => original.Names[o.ClassId] is "6" or "9"));
        Assert.That(written.Split("train"), Has.Count.EqualTo((4 * train.Count) - (2 * ambiguous)));
        Assert.That(summary.Report.TotalRows, Is.EqualTo(written.Split("train").Count));
        Assert.That(File.ReadAllText(summary.DataYamlPath), Does.Not.Contain("path:"));

        foreach (var sample in train)
        {
            string stem = Path.GetFileNameWithoutExtension(sample.ImagePath);
            var copy = written.Split("train").Single(s => Path.GetFileNameWithoutExtension(s.ImagePath) == stem);
            Assert.That(File.ReadAllBytes(copy.ImagePath), Is.EqualTo(File.ReadAllBytes(sample.ImagePath)), "originals are copied byte for byte");
            var turned = written.Split("train").Single(s => Path.GetFileNameWithoutExtension(s.ImagePath) == stem + "_rot90");
            var expected = RotationAugmenter.Rotate(sample, 90);
            Assert.That((turned.Width, turned.Height), Is.EqualTo((expected.Width, expected.Height)));
            AssertBoxesClose(turned.Objects, expected.Objects);
            Assert.That(ImageDecoder.Decode(turned.ImagePath).Pixels, Is.EqualTo(SampleImages.Load(expected).Pixels));
        }
    }

    [Test]
    public void AugmentRefusesToOverwriteWithoutForce()
    {
        string source = TinyScenes.Create(4, 1, 1, imgsz: 32, seed: 5);
        string outDir = TinyScenes.NewTempDirectory("augment-existing");
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "x");
        Assert.That(() => AugmentedDataset.Write(source, outDir, new RotationOptions()), Throws.InstanceOf<IOException>().With.Message.Contains("--force"));
        var summary = AugmentedDataset.Write(source, outDir, new RotationOptions { Policy = RotationPolicy.Keep }, overwrite: true);
        Assert.That(YoloDataset.Load(summary.DataYamlPath).Split("train"), Has.Count.EqualTo(16));
        Assert.That(File.Exists(Path.Combine(outDir, "keep.txt")), Is.False);
    }

    [Test]
    public void RotatedTestSplitsAreAddedToDataYamlAndReadBack()
    {
        // a private, portable copy (no angles) of a shared tiny dataset, since this test edits data.yaml
        string shared = TinyScenes.Create(2, 1, 6, imgsz: 40, seed: 6);
        string dir = Path.Combine(TinyScenes.NewTempDirectory("rotated-splits"), "copy");
        string yaml = AugmentedDataset.Write(shared, dir, new RotationOptions { Angles = [] }).DataYamlPath;
        File.AppendAllText(yaml, "# a comment that must survive\n");

        var summary = RotatedSplits.Write(yaml, "test", [0, 90, 180, 270]);
        summary = RotatedSplits.Write(yaml, "test", [0, 90, 180, 270]); // again: replaces, does not duplicate
        Assert.That(summary.SplitPerAngle.Values, Is.EqualTo(new[] { "test_rot0", "test_rot90", "test_rot180", "test_rot270" }));
        string text = File.ReadAllText(yaml);
        Assert.That(text, Does.Contain("# a comment that must survive"));
        Assert.That(text.Split('\n').Count(l => l.StartsWith("test_rot90:", StringComparison.Ordinal)), Is.EqualTo(1));

        var dataset = YoloDataset.Load(yaml);
        Assert.That(RotatedSplits.Find(dataset), Is.EquivalentTo(summary.SplitPerAngle));
        var test = dataset.Split("test");
        Assert.That(dataset.Split("test_rot0").Select(s => s.ImagePath), Is.EqualTo(test.Select(s => s.ImagePath)));
        foreach (int angle in new[] { 90, 180, 270 })
        {
            var turned = dataset.Split(RotatedSplits.SplitName("test", angle));
            Assert.That(turned, Has.Count.EqualTo(test.Count));
            for (int i = 0; i < test.Count; i++)
            {
                Assert.That(Path.GetFileNameWithoutExtension(turned[i].ImagePath), Is.EqualTo(Path.GetFileNameWithoutExtension(test[i].ImagePath)));
                AssertBoxesClose(turned[i].Objects, RotationAugmenter.Rotate(test[i], angle).Objects);
            }
        }
    }
}
