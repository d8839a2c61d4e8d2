using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

public sealed class InferencePlannerTests
{
    private static readonly OnnxModelInfo Dynamic = new MarkerNetwork(160).Info;
    private static readonly OnnxModelInfo Fixed = new MarkerNetwork(160, dynamicSpatialAxes: false).Info;

    [TestCase(160, 160, true, InferenceMode.Letterbox)]
    [TestCase(320, 320, true, InferenceMode.Letterbox)] // exactly 2x: today's path
    [TestCase(321, 200, true, InferenceMode.Native)]
    [TestCase(200, 321, true, InferenceMode.Native)]
    [TestCase(1280, 960, true, InferenceMode.Native)]
    [TestCase(1280, 960, false, InferenceMode.Tiles)] // fixed input: windows at the model's size
    [TestCase(320, 320, false, InferenceMode.Letterbox)]
    public void AutoRuleFollowsTheImageSizeAndTheModel(int width, int height, bool dynamicAxes, InferenceMode expected)
    {
        Assert.That(InferencePlanner.Choose(width, height, 160, dynamicAxes), Is.EqualTo(expected));
    }

    [Test]
    public void AnExplicitModeOverridesTheAutoRule()
    {
        foreach (var mode in new[] { InferenceMode.Letterbox, InferenceMode.Native, InferenceMode.Tiles })
        {
            Assert.That(InferencePlanner.Choose(100, 100, 160, true, mode), Is.EqualTo(mode));
            Assert.That(InferencePlanner.Choose(4000, 3000, 160, true, mode), Is.EqualTo(mode));
        }
    }

    [Test]
    public void NativeKeepsTheScaleAndPadsToMultiplesOf32()
    {
        var sheet = InferencePlanner.Native(1280, 960, Dynamic, InferenceSettings.DefaultMaxPixels);
        Assert.That(sheet, Is.EqualTo(new InferenceView(0, 0, 1280, 960, 1f, 1280, 960, 0, 0, 1280, 960)));
        var odd = InferencePlanner.Native(1000, 700, Dynamic, InferenceSettings.DefaultMaxPixels);
        Assert.That((odd.Scale, odd.InputWidth, odd.InputHeight, odd.PadX, odd.PadY), Is.EqualTo((1f, 1024, 704, 12, 2)));
    }

    [Test]
    public void NativeAboveThePixelBudgetScalesDown()
    {
        var photo = InferencePlanner.Native(4000, 3000, Dynamic, InferenceSettings.DefaultMaxPixels);
        Assert.That(photo.Scale, Is.EqualTo(MathF.Sqrt(1600f * 1600 / (4000f * 3000))).Within(1e-6));
        Assert.That((photo.ResizedWidth, photo.ResizedHeight), Is.EqualTo((1848, 1386)));
        Assert.That((photo.InputWidth % 32, photo.InputHeight % 32), Is.EqualTo((0, 0)));
        Assert.That((long)photo.InputWidth * photo.InputHeight, Is.LessThan(InferenceSettings.DefaultMaxPixels * 1.05));
    }

    [Test]
    public void TilesCoverTheImageWithTheOverlapAndMarkTheSeams()
    {
        var tiles = InferencePlanner.Tiles(1280, 960, 160, dynamicSpatialAxes: true, overlap: 0.25f);
        var xs = tiles.Select(t => t.SourceX).Distinct().Order().ToList();
        var ys = tiles.Select(t => t.SourceY).Distinct().Order().ToList();
        Assert.That(tiles, Has.Count.EqualTo(xs.Count * ys.Count));
        Assert.That((xs[0], xs[^1] + 160, ys[0], ys[^1] + 160), Is.EqualTo((0, 1280, 0, 960)));
        Assert.That(xs.Zip(xs.Skip(1), (a, b) => a + 160 - b), Is.All.GreaterThanOrEqualTo(40)); // at least 25% of 160
        Assert.That(tiles.All(t => t is { Scale: 1f, InputWidth: 160, InputHeight: 160, SourceWidth: 160, SourceHeight: 160 }), Is.True);
        var corner = tiles[0];
        Assert.That(corner.InteriorEdges, Is.EqualTo(ViewEdges.Right | ViewEdges.Bottom));
        Assert.That(tiles[^1].InteriorEdges, Is.EqualTo(ViewEdges.Left | ViewEdges.Top));
        Assert.That(tiles.Count(t => t.InteriorEdges == (ViewEdges.Left | ViewEdges.Top | ViewEdges.Right | ViewEdges.Bottom)), Is.EqualTo((xs.Count - 2) * (ys.Count - 2)));
    }

    [Test]
    public void ASideShorterThanTheTileGetsOneWindowPaddedOnlyToTheStride()
    {
        var strip = InferencePlanner.Tiles(1000, 100, 160, dynamicSpatialAxes: true, overlap: 0.25f);
        Assert.That(strip.Select(t => (t.SourceY, t.SourceHeight, t.InputHeight)).Distinct(), Is.EqualTo(new[] { (0, 100, 128) }));
        var fixedStrip = InferencePlanner.Tiles(1000, 100, 160, dynamicSpatialAxes: false, overlap: 0.25f);
        Assert.That(fixedStrip.Select(t => t.InputHeight).Distinct(), Is.EqualTo(new[] { 160 }));
    }

    [Test]
    public void AFixedSizeModelTilesAtItsInputAndRefusesNativeWithAClearMessage()
    {
        var plan = InferencePlanner.Plan(1280, 960, 160, Fixed, InferenceSettings.Default);
        Assert.That(plan.Mode, Is.EqualTo(InferenceMode.Tiles));
        Assert.That(plan.Views.Select(v => (v.InputWidth, v.InputHeight)).Distinct(), Is.EqualTo(new[] { (160, 160) }));
        var error = Assert.Throws<InvalidOperationException>(() => InferencePlanner.Plan(1280, 960, 160, Fixed, new InferenceSettings { Mode = InferenceMode.Native }));
        Assert.That(error!.Message, Does.Contain("dynamic spatial axes").And.Contain("160x160"));
        Assert.Throws<ArgumentException>(() => InferencePlanner.Plan(1280, 960, 160, Fixed, new InferenceSettings { TileSize = 320 }));
    }

    [Test]
    public void BadSettingsAreRefusedByName()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSettings { TileSize = 100 }.Validate())!.ParamName, Is.EqualTo("TileSize"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new InferenceSettings { TileOverlap = 0.9f }.Validate())!.ParamName, Is.EqualTo("TileOverlap"));
        Assert.That(Assert.Throws<FormatException>(() => InferenceSettings.ParseMode("sideways"))!.Message, Does.Contain("sideways"));
        Assert.That(InferenceSettings.ParseMode("Tiles"), Is.EqualTo(InferenceMode.Tiles));
    }
}
