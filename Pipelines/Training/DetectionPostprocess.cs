using DigitMl.Pipelines.Data;
using DigitMl.Pipelines.Scoring;

namespace DigitMl.Pipelines.Training;

/// <summary>
/// Decoded model output of one image ([4 + nc, A]: cx, cy, w, h in input pixels, class scores) to detections:
/// every (anchor, class) pair above the confidence threshold is a candidate (multi-label, as the reference's
/// validation), class-aware greedy NMS, the best <c>maxDet</c> kept, boxes mapped back to original pixels.
/// </summary>
internal static class DetectionPostprocess
{
    private const int MaxCandidates = 30_000;

    public static List<Detection> ToDetections(ReadOnlySpan<float> output, int numClasses, int anchors, LetterboxResult letterbox,
        float conf, float iou, int maxDet, IReadOnlyList<string>? names)
    {
        var candidates = new List<(int Anchor, int Class, float Score)>();
        for (int c = 0; c < numClasses; c++)
        {
            var scores = output.Slice((4 + c) * anchors, anchors);
            for (int a = 0; a < anchors; a++)
                if (scores[a] > conf) candidates.Add((a, c, scores[a]));
        }
        // stable order for equal scores: by anchor then class, so results do not depend on sort internals
        candidates.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Anchor != y.Anchor ? x.Anchor.CompareTo(y.Anchor) : x.Class.CompareTo(y.Class));
        if (candidates.Count > MaxCandidates) candidates.RemoveRange(MaxCandidates, candidates.Count - MaxCandidates);

        var keptPerClass = new List<BoundingBox>[numClasses];
        var kept = new List<Detection>();
        foreach (var (a, c, score) in candidates)
        {
            float cx = output[a], cy = output[anchors + a], w = output[(2 * anchors) + a], h = output[(3 * anchors) + a];
            var box = BoundingBox.FromCenter(cx, cy, w, h);
            var same = keptPerClass[c] ??= [];
            bool suppressed = false;
            foreach (var other in same)
            {
                if (box.IoU(other) > iou)
                {
                    suppressed = true;
                    break;
                }
            }
            if (suppressed) continue;
            same.Add(box);
            kept.Add(new Detection(c, names is not null && c < names.Count ? names[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture), score, letterbox.ToOriginal(box)));
            if (kept.Count >= maxDet) break;
        }
        return kept;
    }
}
