using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>A detection candidate of one window, in source image pixels, and whether it touches a tile seam.</summary>
public readonly record struct TileCandidate(ScoredBox Candidate, int View, bool TouchesSeam);

/// <summary>
/// Merges the candidates of overlapping windows into one set of detections:
/// <list type="bullet">
/// <item>candidates clear of every seam go first (best score first), then those that touch a seam (possibly cut),
/// so a digit seen whole by one window is never replaced by a cut piece from its neighbour;</item>
/// <item>greedy NMS as the reference's (same class, IoU above the threshold) removes the copies two windows see;</item>
/// <item>a seam candidate that mostly overlaps a kept box of another window (intersection over the smaller area above
/// <see cref="DefaultContainment"/>, any class: a cut piece may look like another digit) is the same object and goes;
/// when both are seam candidates (a digit larger than the overlap, cut in both windows) the kept box grows to
/// their union, so the digit is recovered whole from the two pieces.</item>
/// </list>
/// </summary>
public static class TileMerge
{
    /// <summary>Intersection over the smaller area above which a seam candidate and a kept box of another window are one object.</summary>
    public const float DefaultContainment = 0.5f;

    /// <summary>Margin in source pixels within which a box counts as touching a seam.</summary>
    public const float SeamMargin = 3f;

    public static List<ScoredBox> Merge(IReadOnlyList<TileCandidate> candidates, DetectionThresholds thresholds, float containment = DefaultContainment)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(thresholds);
        var order = new int[candidates.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) =>
        {
            int bySeam = candidates[a].TouchesSeam.CompareTo(candidates[b].TouchesSeam);
            if (bySeam != 0) return bySeam;
            int byScore = candidates[b].Candidate.Score.CompareTo(candidates[a].Candidate.Score);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });

        int count = Math.Min(order.Length, DetectionThresholds.MaxCandidates);
        var kept = new List<TileCandidate>();
        for (int i = 0; i < count && kept.Count < thresholds.MaxDetections; i++)
        {
            var candidate = candidates[order[i]];
            int absorbedBy = -1;
            for (int k = 0; k < kept.Count; k++)
            {
                var keep = kept[k];
                bool sameClass = thresholds.ClassAgnostic || keep.Candidate.ClassId == candidate.Candidate.ClassId;
                if ((sameClass && keep.Candidate.Box.IoU(candidate.Candidate.Box) > thresholds.IoU)
                    || (candidate.TouchesSeam && keep.View != candidate.View && IntersectionOverSmaller(candidate.Candidate.Box, keep.Candidate.Box) > containment))
                {
                    absorbedBy = k;
                    break;
                }
            }

            if (absorbedBy < 0)
            {
                kept.Add(candidate);
                continue;
            }

            var absorber = kept[absorbedBy];
            if (candidate.TouchesSeam && absorber.TouchesSeam && absorber.View != candidate.View)
                kept[absorbedBy] = absorber with { Candidate = absorber.Candidate with { Box = Union(absorber.Candidate.Box, candidate.Candidate.Box) } };
        }

        var result = kept.Select(k => k.Candidate).ToList();
        // best score first, as NMS returns them (stable: equal scores keep their order)
        return [.. result.Select((box, index) => (box, index)).OrderByDescending(p => p.box.Score).ThenBy(p => p.index).Select(p => p.box)];
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

    private static BoundingBox Union(BoundingBox a, BoundingBox b) =>
        new(Math.Min(a.X0, b.X0), Math.Min(a.Y0, b.Y0), Math.Max(a.X1, b.X1), Math.Max(a.Y1, b.Y1));
}
