using DigitMl.Augmentation.Rotation;
using DigitMl.Data;

namespace DigitMl.Tests.Rotation;

public sealed class RotationAugmenterTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private static YoloSample Sample(string name, params int[] classes) =>
        new(name + ".png", 8, 4, classes.Select((c, i) => new LabeledBox(c, new BoundingBox(i, 0.5f, i + 1, 2))).ToArray());

    // 5 images, 2 of them (b and d) contain a 6 or a 9
    private static readonly YoloSample[] Samples =
        [Sample("a", 1, 2), Sample("b", 6, 3), Sample("c", 0), Sample("d", 9), Sample("e")];

    [Test]
    public void RotateTurnsBoxesSwapsSizeAndKeepsTheFile()
    {
        var turned = RotationAugmenter.Rotate(Samples[1], 90);
        Assert.That(turned.ImagePath, Is.EqualTo("b.png"));
        Assert.That((turned.Width, turned.Height, turned.RotationDegrees), Is.EqualTo((4, 8, 90)));
        Assert.That(turned.Objects[0], Is.EqualTo(new LabeledBox(6, new BoundingBox(2, 0, 3.5f, 1))));
        var again = RotationAugmenter.Rotate(turned, 270);
        Assert.That(again.RotationDegrees, Is.Zero);
        Assert.That(again.Objects, Is.EqualTo(Samples[1].Objects));
    }

    [Test]
    public void KeepAddsOneRowPerAngle()
    {
        var result = RotationAugmenter.Expand(Samples, new RotationOptions { Policy = RotationPolicy.Keep }, Digits);
        Assert.That(result.Samples, Has.Count.EqualTo(5 * 4));
        Assert.That(result.Samples.Take(5), Is.EqualTo(Samples), "originals first and untouched");
        Assert.That(result.Samples.Skip(5).Select(s => s.RotationDegrees), Is.EqualTo(Enumerable.Repeat(90, 5).Concat(Enumerable.Repeat(180, 5)).Concat(Enumerable.Repeat(270, 5))));
        Assert.That((result.Report.Added, result.Report.Dropped, result.Report.TotalRows), Is.EqualTo((15, 0, 20)));
    }

    [Test]
    public void DropSkipsOneEightyAndTwoSeventyForImagesWithSixOrNine()
    {
        var result = RotationAugmenter.Expand(Samples, new RotationOptions(), Digits);
        // 5 originals + 5 at 90 + 3 at 180 + 3 at 270
        Assert.That(result.Samples, Has.Count.EqualTo(16));
        Assert.That(result.Report.AddedPerAngle, Is.EquivalentTo(new Dictionary<int, int> { [90] = 5, [180] = 3, [270] = 3 }));
        Assert.That(result.Report.DroppedPerAngle[180], Is.EqualTo(2));
        Assert.That(result.Report.DroppedPerAngle[270], Is.EqualTo(2));
        Assert.That(result.Samples.Where(s => s.RotationDegrees >= 180).Select(s => s.ImagePath), Has.None.EqualTo("b.png").And.None.EqualTo("d.png"));
        Assert.That(result.Report.ToString(), Does.Contain("4 dropped"));
    }

    [Test]
    public void DropWithExplicitAnglesOnlyDropsThose()
    {
        var options = new RotationOptions { PolicyAngles = [180] };
        var result = RotationAugmenter.Expand(Samples, options, Digits);
        Assert.That(result.Samples, Has.Count.EqualTo(5 + 5 + 3 + 5));
    }

    [TestCase(new[] { 90, 180, 270 }, new[] { 180, 270 })]
    [TestCase(new[] { 180 }, new[] { 180 })]
    [TestCase(new[] { 270 }, new int[0])]
    [TestCase(new[] { 270, 90 }, new[] { 270 })]
    [TestCase(new[] { 90 }, new int[0])]
    public void ConflictingAnglesAreThoseHalfATurnFromAKeptAngle(int[] angles, int[] expected) =>
        Assert.That(RotationAugmenter.ConflictingAngles(angles), Is.EqualTo(expected));

    [Test]
    public void RelabelRenamesAtTheConflictingAnglesOnly()
    {
        var options = new RotationOptions { Policy = RotationPolicy.Relabel, RelabelMap = RotationOptions.ParseRelabelMap("6:9,9:6") };
        var result = RotationAugmenter.Expand(Samples, options, Digits);
        Assert.That(result.Samples, Has.Count.EqualTo(20));
        int ClassOf(string path, int degrees) => result.Samples.Single(s => s.ImagePath == path && s.RotationDegrees == degrees).Objects[0].ClassId;
        Assert.That(new[] { ClassOf("b.png", 0), ClassOf("b.png", 90), ClassOf("b.png", 180), ClassOf("b.png", 270) }, Is.EqualTo(new[] { 6, 6, 9, 9 }));
        Assert.That(new[] { ClassOf("d.png", 0), ClassOf("d.png", 90), ClassOf("d.png", 180), ClassOf("d.png", 270) }, Is.EqualTo(new[] { 9, 9, 6, 6 }));
        Assert.That(ClassOf("a.png", 180), Is.EqualTo(1), "classes outside the map keep their names");
        Assert.That(result.Report.RelabelledBoxes, Is.EqualTo(4));
    }

    [Test]
    public void RelabelNeedsAMapOfKnownClasses()
    {
        Assert.That(() => RotationAugmenter.Expand(Samples, new RotationOptions { Policy = RotationPolicy.Relabel }, Digits),
            Throws.ArgumentException.With.Message.Contains("relabel map"));
        var options = new RotationOptions { Policy = RotationPolicy.Relabel, RelabelMap = RotationOptions.ParseRelabelMap("6:nine") };
        Assert.That(() => RotationAugmenter.Expand(Samples, options, Digits), Throws.ArgumentException.With.Message.Contains("'nine'"));
    }

    [Test]
    public void AmbiguousNamesMissingFromTheDatasetAreReportedNotFatal()
    {
        string[] letters = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        var result = RotationAugmenter.Expand(Samples, new RotationOptions(), letters);
        Assert.That(result.Samples, Has.Count.EqualTo(20));
        Assert.That(result.Report.UnknownAmbiguousClasses, Is.EqualTo(new[] { "6", "9" }));
    }

    [Test]
    public void AnglesParseAndRepeatsAreRejected()
    {
        Assert.That(RotationOptions.ParseAngles("90, 180,270"), Is.EqualTo(new[] { 90, 180, 270 }));
        Assert.That(() => RotationOptions.ParseAngles("90,45"), Throws.InstanceOf<FormatException>().With.Message.Contains("45"));
        Assert.That(() => RotationAugmenter.RequestedAngles([90, 450]), Throws.ArgumentException);
        var result = RotationAugmenter.Expand(Samples, new RotationOptions { Angles = [0, 180] }, Digits);
        Assert.That(result.Samples, Has.Count.EqualTo(5 + 3));
    }

    [Test]
    public void CommandLineTextParsesToOptions()
    {
        var options = RotationOptions.Parse("90,180", "relabel", "6", "6:9,9:6", "180");
        Assert.That(options.Angles, Is.EqualTo(new[] { 90, 180 }));
        Assert.That(options.Policy, Is.EqualTo(RotationPolicy.Relabel));
        Assert.That(options.AmbiguousClasses, Is.EqualTo(new[] { "6" }));
        Assert.That(options.RelabelMap["9"], Is.EqualTo("6"));
        Assert.That(options.PolicyAngles, Is.EqualTo(new[] { 180 }));
        Assert.That(RotationOptions.Parse("90,180,270"), Is.EqualTo(new RotationOptions()).Using<RotationOptions>((a, b) =>
            a.Angles.SequenceEqual(b.Angles) && a.Policy == b.Policy && a.AmbiguousClasses.SequenceEqual(b.AmbiguousClasses)));
        Assert.That(() => RotationOptions.Parse("90", "keep", relabel: "6:9"), Throws.InstanceOf<FormatException>());
        Assert.That(() => RotationOptions.Parse("90", "relabel"), Throws.InstanceOf<FormatException>());
        Assert.That(() => RotationOptions.Parse("90", "flip"), Throws.InstanceOf<FormatException>());
    }

    [Test]
    public void DiskCacheWritesLosslessTurnedPngsOnce()
    {
        string dir = Path.Combine(Path.GetTempPath(), "digitml-rotation-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var image = new RgbImage(5, 3);
            for (int i = 0; i < image.Pixels.Length; i++) image.Pixels[i] = (byte)(i * 7);
            string source = Path.Combine(dir, "src", "img.png");
            ImageEncoder.SavePng(image, source);
            var sample = new YoloSample(source, 5, 3, [new LabeledBox(1, new BoundingBox(1, 1, 2, 3))]);
            var options = new RotationOptions { Storage = RotatedImageStorage.DiskCache, CacheDirectory = Path.Combine(dir, "cache") };
            var result = RotationAugmenter.Expand([sample], options, Digits);
            Assert.That(result.Samples, Has.Count.EqualTo(4));
            int[] angles = [90, 180, 270];
            for (int k = 0; k < 3; k++)
            {
                var rotated = result.Samples[k + 1];
                Assert.That(rotated.RotationDegrees, Is.Zero);
                Assert.That(rotated.ImagePath, Does.StartWith(options.CacheDirectory).And.EndWith(".png"));
                Assert.That(rotated.ImagePath, Does.EndWith($"-rot{angles[k]}.png"));
                var lazy = RotationAugmenter.Rotate(sample, angles[k]);
                Assert.That(ImageDecoder.Decode(rotated.ImagePath).Pixels, Is.EqualTo(SampleImages.Load(lazy).Pixels));
                Assert.That(rotated.Objects, Is.EqualTo(lazy.Objects));
            }
            var written = File.GetLastWriteTimeUtc(result.Samples[1].ImagePath);
            RotationAugmenter.Expand([sample], options, Digits);
            Assert.That(File.GetLastWriteTimeUtc(result.Samples[1].ImagePath), Is.EqualTo(written), "cached files are reused");
            Assert.That(Directory.GetFiles(options.CacheDirectory!), Has.Length.EqualTo(3));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
