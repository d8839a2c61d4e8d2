using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>
/// Turns one image's <c>output0</c> slice ([4+nc, anchors], row-major: cx, cy, w, h rows then one score row per
/// class) into detections: confidence filter, NMS, max detections. Boxes stay in the model's input (letterbox)
/// pixels. By default one candidate per anchor (its best class), as the reference's predictor;
/// <c>multiLabel</c> makes every (anchor, class) pair above the threshold a candidate, as the reference's validator.
/// </summary>
public static class YoloOutputDecoder
{
    public static List<ScoredBox> Decode(ReadOnlySpan<float> output, int numClasses, DetectionThresholds thresholds, bool multiLabel = false)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        int rows = 4 + numClasses;
        if (output.Length % rows != 0)
            throw new ArgumentException($"output has {output.Length} values, not a multiple of 4 + {numClasses} classes", nameof(output));
        int anchors = output.Length / rows;
        if (multiLabel) return Nms.Apply(AllLabels(output, numClasses, anchors, thresholds.Confidence), thresholds.IoU, thresholds.MaxDetections, thresholds.ClassAgnostic);

        // Best class per anchor, scanning row by row (contiguous) instead of anchor by anchor.
        var bestScore = new float[anchors];
        var bestClass = new int[anchors];
        output.Slice(4 * anchors, anchors).CopyTo(bestScore);
        for (int c = 1; c < numClasses; c++)
        {
            var row = output.Slice((4 + c) * anchors, anchors);
            for (int a = 0; a < anchors; a++)
            {
                if (row[a] > bestScore[a])
                {
                    bestScore[a] = row[a];
                    bestClass[a] = c;
                }
            }
        }

        var candidates = new List<ScoredBox>();
        for (int a = 0; a < anchors; a++)
        {
            if (!(bestScore[a] > thresholds.Confidence)) continue;
            var box = BoundingBox.FromCenter(output[a], output[anchors + a], output[(2 * anchors) + a], output[(3 * anchors) + a]);
            candidates.Add(new ScoredBox(bestClass[a], bestScore[a], box));
        }

        return Nms.Apply(candidates, thresholds.IoU, thresholds.MaxDetections, thresholds.ClassAgnostic);
    }

    /// <summary>Every (anchor, class) score above the threshold, anchor-major so equal scores keep anchor then class order.</summary>
    private static List<ScoredBox> AllLabels(ReadOnlySpan<float> output, int numClasses, int anchors, float confidence)
    {
        var candidates = new List<ScoredBox>();
        for (int a = 0; a < anchors; a++)
        {
            BoundingBox? box = null;
            for (int c = 0; c < numClasses; c++)
            {
                float score = output[((4 + c) * anchors) + a];
                if (!(score > confidence)) continue;
                box ??= BoundingBox.FromCenter(output[a], output[anchors + a], output[(2 * anchors) + a], output[(3 * anchors) + a]);
                candidates.Add(new ScoredBox(c, score, box.Value));
            }
        }
        return candidates;
    }
}
