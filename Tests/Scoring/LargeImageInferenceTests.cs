using DigitMl.Augmentation.Rotation;
using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

/// <summary>Views, merging and coordinates of large-image inference, against a network whose answers are known (<see cref="MarkerNetwork"/>).</summary>
public sealed class LargeImageInferenceTests
{
    private const int Width = 400, Height = 300;

    // 32 px squares on a 400 x 300 sheet; the model's training size is 96 (so the sheet is "large": above 2 x 96)
    private static readonly (BoundingBox Box, int ClassId)[] Markers =
    [
        (new BoundingBox(20, 30, 52, 62), 3),
        (new BoundingBox(150, 40, 182, 72), 6),
        (new BoundingBox(300, 200, 332, 232), 9),
        (new BoundingBox(90, 220, 122, 252), 1),
        (new BoundingBox(355, 20, 387, 52), 0),
        (new BoundingBox(230, 120, 262, 152), 6),
    ];

    [Test]
    [Combinatorial]
    public void EveryModeAndTurnMapsBoxesBackToTheOriginalImage(
        [Values(InferenceMode.Letterbox, InferenceMode.Native, InferenceMode.Tiles)] InferenceMode mode,
        [Values(0, 90, 180, 270)] int turn)
    {
        var network = new MarkerNetwork(96, orientations: 4);
        // the page is drawn with every marker "written" at this turn, then turned: a photo of a turned page
        var image = ImageRotation.RotateClockwise(MarkerSheet.Draw(Width, Height, Markers, turnCode: turn / 90), turn);
        var expected = Markers.Select(m => (Box: QuarterTurnBoxes.Rotate(m.Box, Width, Height, turn), m.ClassId)).ToList();
        var engine = new DetectionEngine(network, MarkerNetwork.Settings(network.Info, new InferenceSettings { Mode = mode }));

        var found = engine.Detect(image);

        Assert.That(found.PageTurn, Is.EqualTo(turn));
        Assert.That(found.Detections, Has.Count.EqualTo(expected.Count), string.Join("; ", found.Detections));
        // scale 1 views are exact; a letterboxed 400 px sheet is read at 0.24 scale, blurred by the resize
        float tolerance = mode == InferenceMode.Letterbox ? 2 / 0.24f : 0f;
        foreach (var (box, classId) in expected)
        {
            var match = found.Detections.MaxBy(d => d.Box.IoU(box))!;
            Assert.That(match.ClassId, Is.EqualTo(classId), $"{mode} {turn}: class at {box}");
            Assert.That(new[] { match.Box.X0, match.Box.Y0, match.Box.X1, match.Box.Y1 }, Is.EqualTo(new[] { box.X0, box.Y0, box.X1, box.Y1 }).Within(tolerance), $"{mode} {turn}");
        }
    }

    [Test]
    public void APlainModelReportsNoTurnAndWithoutTheVoteA6ReadsAsA9()
    {
        var sheet = ImageRotation.RotateClockwise(MarkerSheet.Draw(Width, Height, Markers, turnCode: 2), 180);
        var turnAware = new MarkerNetwork(96, orientations: 4);
        var voted = new DetectionEngine(turnAware, MarkerNetwork.Settings(turnAware.Info, InferenceSettings.Default)).Detect(sheet);
        var unvoted = new DetectionEngine(turnAware, MarkerNetwork.Settings(turnAware.Info, InferenceSettings.Default, PageOrientationMode.Off)).Detect(sheet);
        Assert.That(voted.PageTurn, Is.EqualTo(180));
        Assert.That(voted.Detections.Count(d => d.Label == "6"), Is.EqualTo(2));
        Assert.That(voted.Detections.Count(d => d.Label == "9"), Is.EqualTo(1));
        // output0 alone (the max over turns): every 6 and 9 swaps, the confusion only the page can settle
        Assert.That(unvoted.PageTurn, Is.Null);
        Assert.That(unvoted.Detections.Count(d => d.Label == "6"), Is.EqualTo(1));
        Assert.That(unvoted.Detections.Count(d => d.Label == "9"), Is.EqualTo(2));

        var plain = new MarkerNetwork(96);
        Assert.That(new DetectionEngine(plain, MarkerNetwork.Settings(plain.Info, InferenceSettings.Default)).Detect(sheet).PageTurn, Is.Null);
    }

    [Test]
    public void ADigitOnATileSeamIsFoundOnceWithItsWholeBox()
    {
        var network = new MarkerNetwork(96);
        var settings = MarkerNetwork.Settings(network.Info, new InferenceSettings { Mode = InferenceMode.Tiles, TileOverlap = 0.25f });
        var engine = new DetectionEngine(network, settings);
        var tiles = engine.Plan(Width, Height).Views;
        int seamLeft = tiles.Select(t => t.SourceX).Distinct().Order().ElementAt(1); // second column of windows starts here
        int seamRight = tiles[0].SourceX + tiles[0].SourceWidth;                       // first column ends here
        Assert.That(seamRight - seamLeft, Is.GreaterThanOrEqualTo(24), "sanity: windows overlap");

        // one square across the seam (cut in the first window, whole in the second), one larger than the overlap
        // (cut in both windows), one clear of every seam
        var onSeam = new BoundingBox(seamRight - 10, 20, seamRight + 10, 40);
        var large = new BoundingBox(seamLeft - 20, 150, seamRight + 20, 150 + seamRight - seamLeft + 40);
        var clear = new BoundingBox(seamLeft + 10 + 24, 60, seamLeft + 10 + 44, 80);
        var found = engine.Detect(MarkerSheet.Draw(Width, Height, [(onSeam, 2), (large, 5), (clear, 7)])).Detections;

        Assert.That(found.Select(d => d.Label), Is.EquivalentTo(new[] { "2", "5", "7" }), string.Join("; ", found));
        Assert.That(found.Single(d => d.Label == "2").Box, Is.EqualTo(onSeam));
        Assert.That(found.Single(d => d.Label == "2").Score, Is.EqualTo(0.9f), "the whole square (neighbour window), not the cut piece");
        Assert.That(found.Single(d => d.Label == "5").Box, Is.EqualTo(large), "the two cut pieces merged");
        Assert.That(found.Single(d => d.Label == "7").Box, Is.EqualTo(clear));
    }

    [Test]
    public void TilesOfOneImageRunInBatchesOfTheEngine()
    {
        var network = new MarkerNetwork(96);
        var settings = MarkerNetwork.Settings(network.Info, new InferenceSettings { Mode = InferenceMode.Tiles });
        var engine = new DetectionEngine(network, settings) { MaxBatch = 4 };
        int views = engine.Plan(Width, Height).Views.Count;
        var many = engine.Detect([MarkerSheet.Draw(Width, Height, Markers), MarkerSheet.Draw(Width, Height, Markers.Take(2))]);
        Assert.That(network.Views, Is.EqualTo(2 * views));
        Assert.That(many[0].Detections, Has.Count.EqualTo(Markers.Length));
        Assert.That(many[1].Detections, Has.Count.EqualTo(2));
        var single = new DetectionEngine(network, settings).Detect(MarkerSheet.Draw(Width, Height, Markers));
        Assert.That(single.Detections, Is.EqualTo(many[0].Detections));
    }

    [Test]
    public void SmallImagesAreLetterboxedInAuto()
    {
        var network = new MarkerNetwork(96);
        var auto = new DetectionEngine(network, MarkerNetwork.Settings(network.Info, InferenceSettings.Default));
        var letterbox = new DetectionEngine(network, MarkerNetwork.Settings(network.Info, new InferenceSettings { Mode = InferenceMode.Letterbox }));
        var small = MarkerSheet.Draw(192, 150, [(new BoundingBox(10, 10, 42, 42), 4), (new BoundingBox(120, 90, 152, 122), 8)]);
        Assert.That(auto.Plan(192, 150).Mode, Is.EqualTo(InferenceMode.Letterbox));
        Assert.That(auto.Plan(193, 150).Mode, Is.EqualTo(InferenceMode.Native));
        Assert.That(auto.Detect(small).Detections, Is.EqualTo(letterbox.Detect(small).Detections).And.Count.EqualTo(2));
    }
}
