using DigitMl.Data;
using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

public sealed class TileMergeTests
{
    private static readonly DetectionThresholds Thresholds = new(0.25f, 0.7f, 300);

    [Test]
    public void ACutPieceGoesWhenItsNeighbourSeesTheWholeDigitEvenWithAnotherClassOrAHigherScore()
    {
        var whole = new ScoredBox(3, 0.6f, new BoundingBox(100, 10, 130, 40));
        var piece = new ScoredBox(8, 0.9f, new BoundingBox(100, 10, 112, 40)); // cut at x = 112 by its window
        var merged = TileMerge.Merge([new(piece, 0, true), new(whole, 1, false)], Thresholds);
        Assert.That(merged, Is.EqualTo(new[] { whole }));
    }

    [Test]
    public void TwoCutPiecesOfOneDigitBecomeTheirUnion()
    {
        // a 76 px digit across a 24 px overlap: each window sees 50 px of it
        var left = new ScoredBox(5, 0.7f, new BoundingBox(80, 10, 130, 50));
        var right = new ScoredBox(5, 0.5f, new BoundingBox(106, 10, 156, 50));
        var merged = TileMerge.Merge([new(right, 1, true), new(left, 0, true)], Thresholds);
        Assert.That(merged, Is.EqualTo(new[] { new ScoredBox(5, 0.7f, new BoundingBox(80, 10, 156, 50)) }));
    }

    [Test]
    public void PiecesDoNotGrowBeyondOneTile()
    {
        // a ruled line seen by a row of 64 px windows: each window's piece touches both seams
        var pieces = Enumerable.Range(0, 4).Select(i => new TileCandidate(new ScoredBox(1, 0.8f - (i * 0.01f), new BoundingBox(i * 48, 30, (i * 48) + 64, 36)), i, true)).ToList();
        Assert.That(TileMerge.Merge(pieces, Thresholds).Select(b => b.Box), Is.EqualTo(new[] { new BoundingBox(0, 30, 208, 36) }), "unbounded: one strip");
        var bounded = TileMerge.Merge(pieces, Thresholds, maxMergedSide: 64);
        Assert.That(bounded.All(b => b.Box.Width <= 64), Is.True);
        Assert.That(bounded, Has.Count.GreaterThan(1));
    }

    [Test]
    public void BoxesOfOneWindowFollowPlainNms()
    {
        // inside one window the best score wins, seam or not, and a small box inside a big one stays (only IoU counts)
        var big = new ScoredBox(1, 0.9f, new BoundingBox(0, 0, 40, 40));
        var inner = new ScoredBox(1, 0.8f, new BoundingBox(5, 5, 20, 20));
        var copy = new ScoredBox(1, 0.7f, new BoundingBox(1, 0, 41, 40));
        var merged = TileMerge.Merge([new(big, 0, true), new(inner, 0, true), new(copy, 0, false)], Thresholds);
        Assert.That(merged, Is.EqualTo(new[] { big, inner }));
    }

    [Test]
    public void DigitsSeenWholeByTwoWindowsCountOnceAndTheBestScoreComesFirst()
    {
        var a = new ScoredBox(2, 0.8f, new BoundingBox(10, 10, 30, 30));
        var b = new ScoredBox(2, 0.85f, new BoundingBox(10.5f, 10, 30.5f, 30));
        var far = new ScoredBox(2, 0.95f, new BoundingBox(200, 10, 220, 30));
        var merged = TileMerge.Merge([new(a, 0, false), new(b, 1, false), new(far, 1, true)], Thresholds);
        Assert.That(merged, Is.EqualTo(new[] { far, b }));
    }

    [Test]
    public void IntersectionOverTheSmallerArea()
    {
        Assert.That(TileMerge.IntersectionOverSmaller(new BoundingBox(0, 0, 10, 10), new BoundingBox(0, 0, 100, 100)), Is.EqualTo(1f));
        Assert.That(TileMerge.IntersectionOverSmaller(new BoundingBox(0, 0, 10, 10), new BoundingBox(5, 0, 25, 10)), Is.EqualTo(0.5f));
        Assert.That(TileMerge.IntersectionOverSmaller(new BoundingBox(0, 0, 10, 10), new BoundingBox(20, 0, 30, 10)), Is.Zero);
    }
}
