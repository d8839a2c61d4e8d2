using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class TinyScenesTests
{
    [Test]
    public void CreateWritesTheUltralyticsLayoutAndCachesPerParameters()
    {
        string yaml = TinyScenes.Create(6, 2, 2);
        string root = Path.GetDirectoryName(yaml)!;
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(yaml), Does.Contain("train: images/train").And.Contain("val: images/val").And.Contain("test: images/test").And.Contain("9: '9'"));
            Assert.That(Directory.GetFiles(Path.Combine(root, "images", "train"), "*.png"), Has.Length.EqualTo(6));
            Assert.That(Directory.GetFiles(Path.Combine(root, "labels", "val"), "*.txt"), Has.Length.EqualTo(2));
            Assert.That(Directory.GetFiles(Path.Combine(root, "images", "test"), "*.png"), Has.Length.EqualTo(2));
            Assert.That(File.Exists(Path.Combine(root, SceneDatasetMarker.FileName)), Is.True);
            Assert.That(TinyScenes.Create(6, 2, 2), Is.EqualTo(yaml));
            Assert.That(TinyScenes.Create(6, 2, 2, seed: 2), Is.Not.EqualTo(yaml));
        });
    }

    [Test]
    public void ConcurrentCallsShareOneDataset()
    {
        var paths = new string[8];
        Parallel.For(0, paths.Length, i => paths[i] = TinyScenes.Create(3, 1, 1, imgsz: 48, seed: 7));
        Assert.That(paths.Distinct().Count(), Is.EqualTo(1));
    }
}
