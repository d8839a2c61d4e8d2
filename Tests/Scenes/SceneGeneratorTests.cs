using System.Security.Cryptography;
using DigitMl.Data;
using DigitMl.Data.Scenes;
using DigitMl.Tests.TestData;

namespace DigitMl.Tests.Scenes;

public sealed class SceneGeneratorTests
{
    private static readonly SceneOptions Small = new()
    {
        Train = 24, Val = 6, Test = 6, Width = 80, Height = 64, Seed = 11, MinDigitHeight = 10, MaxDigitHeight = 30, MaxDigits = 5,
    };

    [Test]
    public void TwoRunsWriteTheSameBytes()
    {
        string a = Path.GetDirectoryName(SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("det"), "a"), Small))!;
        string b = Path.GetDirectoryName(SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("det"), "b"), Small))!;

        var filesA = RelativeFiles(a);
        Assert.That(RelativeFiles(b), Is.EqualTo(filesA));
        Assert.That(filesA.Count(f => f.EndsWith(".png", StringComparison.Ordinal)), Is.EqualTo(36));
        foreach (var file in filesA.Where(f => f != SceneGenerator.DataYamlFileName))
            Assert.That(File.ReadAllBytes(Path.Combine(b, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, file))), file);
    }

    [Test]
    public void OtherSeedsGiveOtherScenes()
    {
        var digits = TinyScenes.Mnist;
        var pool = digits.Pool("train");
        var first = SceneRenderer.Render(digits, pool, Small, SceneRandom.ForScene(1, 0, 0)).Image.Pixels;
        Assert.Multiple(() =>
        {
            Assert.That(SceneRenderer.Render(digits, pool, Small, SceneRandom.ForScene(2, 0, 0)).Image.Pixels, Is.Not.EqualTo(first));
            Assert.That(SceneRenderer.Render(digits, pool, Small, SceneRandom.ForScene(1, 1, 0)).Image.Pixels, Is.Not.EqualTo(first));
            Assert.That(SceneRenderer.Render(digits, pool, Small, SceneRandom.ForScene(1, 0, 1)).Image.Pixels, Is.Not.EqualTo(first));
        });
    }

    /// <summary>
    /// Pins the drawing: if this hash changes, scenes for a given seed changed, so bump SceneGenerator.Version
    /// (existing datasets then regenerate) and update the hash. Only IEEE-exact arithmetic is used, so it is
    /// the same on every machine.
    /// </summary>
    [Test]
    public void PixelsOfAFixedSceneAreStable()
    {
        var digits = TinyScenes.Mnist;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int i = 0; i < 8; i++)
            sha.AppendData(SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(0, 0, i)).Image.Pixels);
        Assert.That(Convert.ToHexStringLower(sha.GetHashAndReset()), Is.EqualTo(GoldenHash), $"generator {SceneGenerator.Version}");
        var png = ScenePng.Encode(SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(0, 0, 0)).Image);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(png)), Is.EqualTo(GoldenPngHash), "PNG bytes of scene train/0");
    }

    [Test]
    public void EachSplitUsesOnlyItsOwnPoolAndLabelsMatchTheManifest()
    {
        string yaml = TinyScenes.Create(40, 12, 12);
        string root = Path.GetDirectoryName(yaml)!;
        var digits = TinyScenes.Mnist;
        var scenes = SceneManifest.Read(Path.Combine(root, SceneManifest.FileName));

        Assert.That(scenes, Has.Count.EqualTo(64));
        Assert.That(scenes.Sum(s => s.Digits.Count), Is.GreaterThan(64), "scenes hold digits");
        foreach (var scene in scenes)
        {
            var pool = digits.Pool(scene.Split).ToHashSet();
            var labels = SceneLabels.ReadPixels(LabelPath(root, scene.ImagePath), 64, 64);
            Assert.That(scene.ImagePath, Does.StartWith($"images/{scene.Split}/"));
            Assert.That(labels.Select(l => (l.ClassId, SceneLabels.ToBox(l))), Is.EqualTo(scene.Digits.Select(d => (d.ClassId, d.Box))), scene.ImagePath);
            foreach (var d in scene.Digits)
            {
                Assert.That(pool, Does.Contain(d.MnistIndex), $"{scene.ImagePath}: MNIST digit {d.MnistIndex} is not in the {scene.Split} pool");
                Assert.That(digits.Label(d.MnistIndex), Is.EqualTo(d.ClassId));
            }
        }
        var trainDigits = scenes.Where(s => s.Split == "train").SelectMany(s => s.Digits).Select(d => d.MnistIndex).ToHashSet();
        Assert.That(trainDigits.Overlaps(digits.Pool("val").Concat(digits.Pool("test"))), Is.False);
    }

    [Test]
    public void LabelsAreInRange()
    {
        string root = Path.GetDirectoryName(TinyScenes.Create(40, 12, 12))!;
        var files = Directory.GetFiles(Path.Combine(root, "labels"), "*.txt", SearchOption.AllDirectories);
        Assert.That(files, Has.Length.EqualTo(64));
        int empty = 0;
        foreach (var file in files)
        {
            var lines = SceneLabels.ReadNormalised(file);
            if (lines.Count == 0) empty++;
            Assert.That(lines, Has.Count.LessThanOrEqualTo(4), file);
            foreach (var (classId, cx, cy, w, h) in lines)
            {
                Assert.That(classId, Is.InRange(0, 9), file);
                Assert.That(new[] { cx, cy, w, h }, Has.All.InRange(0f, 1f), file);
                Assert.That(w, Is.GreaterThan(0f), file);
                Assert.That(h, Is.GreaterThan(0f), file);
                Assert.That(cx - (w / 2), Is.GreaterThanOrEqualTo(-1e-6f), file);
                Assert.That(cx + (w / 2), Is.LessThanOrEqualTo(1 + 1e-6f), file);
                Assert.That(cy - (h / 2), Is.GreaterThanOrEqualTo(-1e-6f), file);
                Assert.That(cy + (h / 2), Is.LessThanOrEqualTo(1 + 1e-6f), file);
            }
        }
        Assert.That(empty, Is.LessThan(files.Length / 4), "only a few negatives");
    }

    /// <summary>
    /// Re-draws each scene's paper alone (same seed) and compares it with the PNG: every pixel the ink changed
    /// lies inside a box, and each box has changed pixels on all four of its edges (so it is the tight box).
    /// </summary>
    [Test]
    public void BoxesAreTightAroundTheInk()
    {
        var options = TinyScenes.Options(40, 12, 12);
        string root = Path.GetDirectoryName(TinyScenes.Create(40, 12, 12))!;
        var digits = TinyScenes.Mnist;
        int checkedBoxes = 0;
        foreach (var (split, splitId) in new[] { ("train", 0), ("val", 1), ("test", 2) })
        {
            for (int index = 0; index < options.CountOf(split); index++)
            {
                string imagePath = $"images/{split}/{index:D6}.png";
                var image = ImageDecoder.Decode(Path.Combine(root, imagePath));
                var paper = SceneRenderer.Render(digits, digits.Pool(split), options, SceneRandom.ForScene(options.Seed, splitId, index)).Background;
                var boxes = SceneLabels.ReadPixels(LabelPath(root, imagePath), image.Width, image.Height);
                bool Inked(int x, int y)
                {
                    int p = ((y * image.Width) + x) * 3;
                    return image.Pixels[p] != paper.Pixels[p] || image.Pixels[p + 1] != paper.Pixels[p + 1] || image.Pixels[p + 2] != paper.Pixels[p + 2];
                }

                for (int y = 0; y < image.Height; y++)
                {
                    for (int x = 0; x < image.Width; x++)
                    {
                        if (Inked(x, y))
                            Assert.That(boxes.Any(b => x >= b.X0 && x < b.X1 && y >= b.Y0 && y < b.Y1), Is.True, $"{imagePath}: ink at ({x},{y}) outside every box");
                    }
                }
                foreach (var b in boxes)
                {
                    string where = $"{imagePath}: box {b}";
                    Assert.That(Enumerable.Range(b.X0, b.X1 - b.X0).Any(x => Inked(x, b.Y0)), Is.True, where + " top edge has no ink");
                    Assert.That(Enumerable.Range(b.X0, b.X1 - b.X0).Any(x => Inked(x, b.Y1 - 1)), Is.True, where + " bottom edge has no ink");
                    Assert.That(Enumerable.Range(b.Y0, b.Y1 - b.Y0).Any(y => Inked(b.X0, y)), Is.True, where + " left edge has no ink");
                    Assert.That(Enumerable.Range(b.Y0, b.Y1 - b.Y0).Any(y => Inked(b.X1 - 1, y)), Is.True, where + " right edge has no ink");
                    checkedBoxes++;
                }
            }
        }
        Assert.That(checkedBoxes, Is.GreaterThan(64));
    }

    [Test]
    public void DigitsKeepLittleOverlapAndTheirSizeRange()
    {
        var digits = TinyScenes.Mnist;
        var heights = new List<float>();
        for (int i = 0; i < 60; i++)
        {
            var placed = SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(5, 0, i)).Digits;
            Assert.That(placed, Has.Count.LessThanOrEqualTo(6));
            heights.AddRange(placed.Select(d => d.Box.Height));
            for (int a = 0; a < placed.Count; a++)
            {
                for (int b = a + 1; b < placed.Count; b++)
                {
                    var (p, q) = (placed[a].Box, placed[b].Box);
                    float inter = Math.Max(0, Math.Min(p.X1, q.X1) - Math.Max(p.X0, q.X0)) * Math.Max(0, Math.Min(p.Y1, q.Y1) - Math.Max(p.Y0, q.Y0));
                    Assert.That(inter, Is.LessThanOrEqualTo(SceneRenderer.MaxOverlap * Math.Min(p.Area, q.Area)));
                }
            }
        }
        Assert.That(heights, Has.All.InRange(12f, 58f), "digit heights about 14..56 px");
        Assert.That(heights.Min(), Is.LessThan(20f));
        Assert.That(heights.Max(), Is.GreaterThan(45f));
    }

    [Test]
    public void NonSquareCanvasWritesNonSquareImages()
    {
        string yaml = SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("rect"), "ds"),
            Small with { Train = 3, Val = 1, Test = 1, Width = 96, Height = 40 });
        var size = ImageDecoder.ReadSize(Path.Combine(Path.GetDirectoryName(yaml)!, "images", "train", "000002.png"));
        Assert.That((size.Width, size.Height), Is.EqualTo((96, 40)));
    }

    private const string GoldenPngHash = "b3a07dbf6237a1aace46f6cc7a33420455d8b855572487e6969857b2007d63e7";

    private const string GoldenHash = "d41a63630f1b9b620aa8e81677b5737ad8dc4b1baef015e71851de3ebc50d8e5";

    private static string LabelPath(string root, string imagePath) =>
        Path.Combine(root, "labels", Path.GetFileName(Path.GetDirectoryName(imagePath))!, Path.GetFileNameWithoutExtension(imagePath) + ".txt");

    private static List<string> RelativeFiles(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
