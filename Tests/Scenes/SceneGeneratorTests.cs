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
        // the default (mixed) options: 16 scenes reach most drawing paths (rows, warps, blur, JPEG, light on dark)
        for (int i = 0; i < 16; i++)
            sha.AppendData(SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(0, 0, i)).Image.Pixels);
        Assert.That(Convert.ToHexStringLower(sha.GetHashAndReset()), Is.EqualTo(GoldenHash), $"generator {SceneGenerator.Version}");
        var png = ScenePng.Encode(SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(0, 0, 0)).Image);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(png)), Is.EqualTo(GoldenPngHash), "PNG bytes of scene train/0");
    }

    [Test]
    public void EachSplitUsesOnlyItsOwnPoolAndLabelsMatchTheManifest()
    {
        // mixed scenes (the default variation): rows, cut digits, non-square canvases all keep to the split's pool
        string root = Path.GetDirectoryName(SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("pools"), "ds"),
            Small with { Train = 40, Val = 12, Test = 12, Width = 96, Height = 96 }))!;
        var digits = TinyScenes.Mnist;
        var scenes = SceneManifest.Read(Path.Combine(root, SceneManifest.FileName));

        Assert.That(scenes, Has.Count.EqualTo(64));
        Assert.That(scenes.Sum(s => s.Digits.Count), Is.GreaterThan(64), "scenes hold digits");
        foreach (var scene in scenes)
        {
            var pool = digits.Pool(scene.Split).ToHashSet();
            var (width, height) = ImageDecoder.ReadSize(Path.Combine(root, scene.ImagePath));
            var labels = SceneLabels.ReadPixels(LabelPath(root, scene.ImagePath), width, height);
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
        var testDigits = scenes.Where(s => s.Split == "test").SelectMany(s => s.Digits).Select(d => d.MnistIndex).ToHashSet();
        Assert.That(testDigits.Overlaps(digits.Pool("train").Concat(digits.Pool("val"))), Is.False);
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
    /// Every pixel the labelled digits changed on the page (page against the same page without them: paper,
    /// lines, distractors, separators) lies inside a box, and each box has changed pixels on all four of its edges,
    /// so it is the tight box of the digit's ink: after tilt, rotation and perspective, for touching digits, for
    /// digits cut by the border (clipped), for light ink on dark ground and inverted pages, and for turned scenes.
    /// </summary>
    [TestCase("mixed", 0)]
    [TestCase("geometry", 0)]
    [TestCase("capture", 0)]
    [TestCase("light-on-dark", 0)]
    [TestCase("distractors", 0)]
    [TestCase("mixed", 90)]
    [TestCase("plain", 0)]
    public void BoxesAreTightAroundTheInk(string variation, int turn)
    {
        var digits = TinyScenes.Mnist;
        var options = SceneOptions.Default with { Variation = SceneVariation.Preset(variation), QuarterTurn = turn };
        int checkedBoxes = 0;
        for (int index = 0; index < 40; index++)
            checkedBoxes += AssertTightBoxes(SceneRenderer.Render(digits, digits.Pool("train"), options, SceneRandom.ForScene(7, 0, index)), $"{variation} scene {index}");
        Assert.That(checkedBoxes, Is.GreaterThan(60));
    }

    [Test]
    public void SheetsHaveTightBoxesAndTheirSizes()
    {
        var digits = TinyScenes.Mnist;
        var options = SceneOptions.Sheets(2, DigitMl.Experiments.Suites.RobustnessConditions.SheetSeed);
        for (int index = 0; index < 2; index++)
        {
            var sheet = SceneRenderer.Render(digits, digits.Pool("test"), options, SceneRandom.ForScene(options.Seed, 2, index));
            Assert.That(Math.Max(sheet.Image.Width, sheet.Image.Height), Is.InRange(1280, 1600));
            Assert.That(Math.Min(sheet.Image.Width, sheet.Image.Height), Is.InRange(800, 1600));
            Assert.That(sheet.Digits, Has.Count.InRange(10, 50));
            Assert.That(sheet.Digits.Select(d => d.Box.Height), Has.All.InRange(16f, 90f), "20..70 px of ink (bold strokes, tilt and cutting move it a little)");
            AssertTightBoxes(sheet, $"sheet {index}");
        }
    }

    /// <summary>Checks the tight-box property of one scene; returns the number of boxes checked.</summary>
    private static int AssertTightBoxes(RenderedScene scene, string where)
    {
        var (page, paper) = (scene.Page, scene.Background);
        var inked = new bool[page.Width * page.Height];
        for (int i = 0; i < inked.Length; i++)
        {
            int p = i * 3;
            inked[i] = page.Pixels[p] != paper.Pixels[p] || page.Pixels[p + 1] != paper.Pixels[p + 1] || page.Pixels[p + 2] != paper.Pixels[p + 2];
        }
        bool Inked(int x, int y) => inked[(y * page.Width) + x];

        var boxes = scene.Digits.Select(d => ((int)d.Box.X0, (int)d.Box.Y0, (int)d.Box.X1, (int)d.Box.Y1)).ToList();
        Assert.That(scene.Digits.Select(d => d.Box), Has.All.Matches<BoundingBox>(b => b.X0 == MathF.Floor(b.X0) && b.Y1 == MathF.Floor(b.Y1)), where + ": whole-pixel boxes");
        var covered = new bool[inked.Length];
        foreach (var (x0, y0, x1, y1) in boxes)
        {
            string box = $"{where}: box ({x0},{y0},{x1},{y1}) of {page.Width}x{page.Height}";
            Assert.That(x0 >= 0 && y0 >= 0 && x1 <= page.Width && y1 <= page.Height && x1 > x0 && y1 > y0, Is.True, box + " inside the image");
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) covered[(y * page.Width) + x] = true;
            Assert.That(Enumerable.Range(x0, x1 - x0).Any(x => Inked(x, y0)), Is.True, box + " top edge has no ink");
            Assert.That(Enumerable.Range(x0, x1 - x0).Any(x => Inked(x, y1 - 1)), Is.True, box + " bottom edge has no ink");
            Assert.That(Enumerable.Range(y0, y1 - y0).Any(y => Inked(x0, y)), Is.True, box + " left edge has no ink");
            Assert.That(Enumerable.Range(y0, y1 - y0).Any(y => Inked(x1 - 1, y)), Is.True, box + " right edge has no ink");
        }
        for (int i = 0; i < inked.Length; i++)
        {
            if (inked[i] && !covered[i]) Assert.Fail($"{where}: ink at ({i % page.Width},{i / page.Width}) outside every box");
        }
        return boxes.Count;
    }

    [Test]
    public void SavedImagesAreTheRenderedScenes()
    {
        var options = Small with { Train = 6, Val = 0, Test = 0 };
        string root = Path.GetDirectoryName(SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("saved"), "ds"), options))!;
        for (int index = 0; index < 6; index++)
        {
            var scene = SceneRenderer.Render(TinyScenes.Mnist, TinyScenes.Mnist.Pool("train"), options, SceneRandom.ForScene(options.Seed, 0, index));
            var saved = ImageDecoder.Decode(Path.Combine(root, "images", "train", $"{index:D6}.png"));
            Assert.That((saved.Width, saved.Height), Is.EqualTo((scene.Image.Width, scene.Image.Height)));
            Assert.That(saved.Pixels, Is.EqualTo(scene.Image.Pixels), $"scene {index}");
        }
    }

    [Test]
    public void DigitsKeepLittleOverlapAndTheirSizeRange()
    {
        var digits = TinyScenes.Mnist;
        var heights = new List<float>();
        var plain = SceneOptions.Default with { Variation = SceneVariation.Plain };
        for (int i = 0; i < 60; i++)
        {
            var placed = SceneRenderer.Render(digits, digits.Pool("train"), plain, SceneRandom.ForScene(5, 0, i)).Digits;
            Assert.That(placed, Has.Count.LessThanOrEqualTo(6));
            heights.AddRange(placed.Select(d => d.Box.Height));
            AssertOverlapAtMost(placed, SceneRenderer.MaxOverlap);
        }
        Assert.That(heights, Has.All.InRange(12f, 58f), "digit heights about 14..56 px");
        Assert.That(heights.Min(), Is.LessThan(20f));
        Assert.That(heights.Max(), Is.GreaterThan(45f));

        // mixed scenes: neighbours in touching rows may share more, never beyond TouchingOverlap
        for (int i = 0; i < 60; i++)
        {
            var scene = SceneRenderer.Render(digits, digits.Pool("train"), SceneOptions.Default, SceneRandom.ForScene(5, 0, i));
            AssertOverlapAtMost(scene.Digits, scene.Style.Touching ? SceneRenderer.TouchingOverlap : SceneRenderer.MaxOverlap);
        }
    }

    private static void AssertOverlapAtMost(IReadOnlyList<PlacedDigit> placed, float limit)
    {
        for (int a = 0; a < placed.Count; a++)
        {
            for (int b = a + 1; b < placed.Count; b++)
            {
                var (p, q) = (placed[a].Box, placed[b].Box);
                float inter = Math.Max(0, Math.Min(p.X1, q.X1) - Math.Max(p.X0, q.X0)) * Math.Max(0, Math.Min(p.Y1, q.Y1) - Math.Max(p.Y0, q.Y0));
                Assert.That(inter, Is.LessThanOrEqualTo((limit * Math.Min(p.Area, q.Area)) + 1e-3f));
            }
        }
    }

    [Test]
    public void NonSquareCanvasWritesNonSquareImages()
    {
        string yaml = SceneGenerator.Generate(TinyScenes.Mnist, Path.Combine(TinyScenes.NewTempDirectory("rect"), "ds"),
            Small with { Train = 3, Val = 1, Test = 1, Width = 96, Height = 40 });
        var size = ImageDecoder.ReadSize(Path.Combine(Path.GetDirectoryName(yaml)!, "images", "train", "000002.png"));
        Assert.That((size.Width, size.Height), Is.EqualTo((96, 40)));
    }

    private const string GoldenPngHash = "825a2b6c021beb7d06e5d087adc1ae215e55f7b90471753a876d78ed54c6e596";

    private const string GoldenHash = "c214a250a3132e0c427643e11b5d3701be730e604e4e88d58e1da911e2867f94";

    private static string LabelPath(string root, string imagePath) =>
        Path.Combine(root, "labels", Path.GetFileName(Path.GetDirectoryName(imagePath))!, Path.GetFileNameWithoutExtension(imagePath) + ".txt");

    private static List<string> RelativeFiles(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
