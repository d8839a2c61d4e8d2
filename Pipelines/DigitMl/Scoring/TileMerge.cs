using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>A detection candidate of one window, in source image pixels, and whether it touches a tile seam.</summary>
public readonly record struct TileCandidate(ScoredBox Candidate, int View, bool TouchesSeam);

/// <summary>
/// Merges the candidates of overlapping windows into one set of detections:
/// <list type="number">
/// <item>inside each window, greedy NMS as the reference's (same class, IoU above the threshold);</item>
/// <item>across windows, candidates clear of every seam go first (best score first), then those that touch a seam
/// (possibly cut), so a digit seen whole by one window is never replaced by a cut piece from its neighbour;</item>
/// <item>a candidate of the same class overlapping a kept box of another window by IoU above the threshold is a copy
/// (a digit both windows see whole) and goes;</item>
/// <item>a seam candidate that mostly overlaps a kept box of another window (intersection over the smaller area above
/// <see cref="DefaultContainment"/>, any class: a cut piece may look like another digit) is the same object and goes;</item>
/// <item>two seam candidates of different windows that overlap and line up (<see cref="PiecesOfOne"/>: a digit larger
/// than the overlap, cut in both windows) become one box, their union, so the digit is recovered whole.</item>
/// </list>
/// </summary>
public static class TileMerge
{
    /// <summary>Intersection over the smaller area above which a seam candidate and a kept box of another window are one object.</summary>
    public const float DefaultContainment = 0.5f;

    /// <summary>Margin in source pixels within which a box counts as touching a seam.</summary>
    public const float SeamMargin = 3f;

    /// <param name="candidates">every window's candidates, in source pixels</param>
    /// <param name="thresholds">NMS IoU, class-agnostic and max detections</param>
    /// <param name="maxMergedSide">
    /// the largest side a union of seam pieces may reach (the tile side: an object no window could hold was never
    /// seen whole by the network); pieces that would grow beyond it stay apart, so merges cannot chain along a row of
    /// windows
    /// </param>
    /// <param name="containment">see <see cref="DefaultContainment"/></param>
    public static List<ScoredBox> Merge(IReadOnlyList<TileCandidate> candidates, DetectionThresholds thresholds, float maxMergedSide = float.PositiveInfinity, float containment = DefaultContainment)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(thresholds);

        // 1. NMS inside each window
        var perWindow = new List<TileCandidate>();
        foreach (var window in candidates.GroupBy(c => c.View))
        {
            var list = window.ToList();
            var kept = Nms.Apply(list.Select(c => c.Candidate).ToList(), thresholds.IoU, DetectionThresholds.MaxCandidates, thresholds.ClassAgnostic);
            // NMS returns the kept boxes; find each one's seam flag (first unused candidate with that value)
            var used = new bool[list.Count];
            foreach (var box in kept)
            {
                int i = Enumerable.Range(0, list.Count).First(j => !used[j] && list[j].Candidate == box);
                used[i] = true;
                perWindow.Add(list[i]);
            }
        }

        // 2. across windows: clear candidates first, then seam candidates, best score first
        var order = perWindow
            .Select((c, index) => (c, index))
            .OrderBy(p => p.c.TouchesSeam)
            .ThenByDescending(p => p.c.Candidate.Score)
            .ThenBy(p => p.index)
            .Select(p => p.c)
            .ToList();
        var merged = new List<TileCandidate>();
        foreach (var candidate in order)
        {
            if (merged.Count >= thresholds.MaxDetections) break;
            int absorbedBy = -1;
            for (int k = 0; k < merged.Count && absorbedBy < 0; k++)
            {
                var keep = merged[k];
                if (keep.View == candidate.View) continue;
                bool sameClass = thresholds.ClassAgnostic || keep.Candidate.ClassId == candidate.Candidate.ClassId;
                var box = candidate.Candidate.Box;
                if ((sameClass && keep.Candidate.Box.IoU(box) > thresholds.IoU)
                    || (candidate.TouchesSeam && IntersectionOverSmaller(box, keep.Candidate.Box) > containment)
                    || (candidate.TouchesSeam && keep.TouchesSeam && PiecesOfOne(box, keep.Candidate.Box) && Fits(Union(box, keep.Candidate.Box), maxMergedSide)))
                    absorbedBy = k;
            }

            if (absorbedBy < 0)
            {
                merged.Add(candidate);
                continue;
            }

            var absorber = merged[absorbedBy];
            if (candidate.TouchesSeam && absorber.TouchesSeam && Fits(Union(absorber.Candidate.Box, candidate.Candidate.Box), maxMergedSide))
                merged[absorbedBy] = absorber with { Candidate = absorber.Candidate with { Box = Union(absorber.Candidate.Box, candidate.Candidate.Box) } };
        }

        // best score first, as NMS returns them (stable: equal scores keep their order)
        return [.. merged.Select((c, index) => (c.Candidate, index)).OrderByDescending(p => p.Candidate.Score).ThenBy(p => p.index).Select(p => p.Candidate)];
    }

    /// <summary>
    /// Two pieces of one object cut by a seam: they overlap (in the strip both windows see) and span the same rows (a
    /// vertical seam) or the same columns (a horizontal one): 1-D IoU of those extents above 0.7.
    /// </summary>
    public static bool PiecesOfOne(BoundingBox a, BoundingBox b)
    {
        float iw = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        float ih = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        if (iw <= 0 || ih <= 0) return false;
        float rows = ih / (Math.Max(a.Y1, b.Y1) - Math.Min(a.Y0, b.Y0));
        float columns = iw / (Math.Max(a.X1, b.X1) - Math.Min(a.X0, b.X0));
        return Math.Max(rows, columns) > 0.7f;
    }

    /// <summary>Intersection of the two boxes over the smaller box's area (1 when one holds the other).</summary>
    public static float IntersectionOverSmaller(BoundingBox a, BoundingBox b)
    {
        float iw = Math.Min(a.X1, b.X1) - Math.Max(a.X0, b.X0);
        float ih = Math.Min(a.Y1, b.Y1) - Math.Max(a.Y0, b.Y0);
        float smaller = Math.Min(a.Area, b.Area);
        if (iw <= 0 || ih <= 0 || smaller <= 0) return 0;
        return iw * ih / smaller;
    }

    private static bool Fits(BoundingBox box, float maxSide) => box.Width <= maxSide && box.Height <= maxSide;

    private static BoundingBox Union(BoundingBox a, BoundingBox b) =>
        new(Math.Min(a.X0, b.X0), Math.Min(a.Y0, b.Y0), Math.Max(a.X1, b.X1), Math.Max(a.Y1, b.Y1));
}
