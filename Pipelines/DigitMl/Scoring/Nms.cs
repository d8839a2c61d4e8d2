namespace DigitMl.Scoring;

/// <summary>
/// Greedy non-maximum suppression: best score first, a box is dropped when it overlaps an already kept box of the
/// same class (or of any class when class-agnostic) by IoU strictly above the threshold. Same result as the
/// reference's class-offset trick with torchvision's nms.
/// </summary>
public static class Nms
{
    /// <summary>Kept boxes, best score first, at most <paramref name="maxDetections"/>.</summary>
    public static List<ScoredBox> Apply(IReadOnlyList<ScoredBox> candidates, float iouThreshold, int maxDetections, bool classAgnostic = false)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var order = new int[candidates.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // stable: equal scores keep their input order
        Array.Sort(order, (a, b) =>
        {
            int byScore = candidates[b].Score.CompareTo(candidates[a].Score);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });
        int count = Math.Min(order.Length, DetectionThresholds.MaxCandidates);

        var kept = new List<ScoredBox>(Math.Min(count, maxDetections));
        for (int i = 0; i < count && kept.Count < maxDetections; i++)
        {
            var candidate = candidates[order[i]];
            bool suppressed = false;
            foreach (var keep in kept)
            {
                if ((classAgnostic || keep.ClassId == candidate.ClassId) && keep.Box.IoU(candidate.Box) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }

            if (!suppressed) kept.Add(candidate);
        }

        return kept;
    }
}
