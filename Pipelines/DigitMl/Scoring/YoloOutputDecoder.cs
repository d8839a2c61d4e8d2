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
        var candidates = Candidates(output, numClasses, thresholds.Confidence, multiLabel);
        return Nms.Apply(candidates, thresholds.IoU, thresholds.MaxDetections, thresholds.ClassAgnostic);
    }

    /// <summary>The candidates before NMS, in anchor order: best class per anchor above <paramref name="confidence"/>, or every (anchor, class) pair above it.</summary>
    public static List<ScoredBox> Candidates(ReadOnlySpan<float> output, int numClasses, float confidence, bool multiLabel = false)
    {
        int anchors = AnchorCount(output.Length, numClasses);
        if (multiLabel) return AllLabels(output, numClasses, anchors, confidence);

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
            if (!(bestScore[a] > confidence)) continue;
            candidates.Add(new ScoredBox(bestClass[a], bestScore[a], AnchorBox(output, anchors, a)));
        }

        return candidates;
    }

    /// <summary>Anchors whose best class score is above <paramref name="confidence"/>, ascending.</summary>
    public static List<int> CandidateAnchors(ReadOnlySpan<float> output, int numClasses, float confidence)
    {
        int anchors = AnchorCount(output.Length, numClasses);
        var found = new List<int>();
        var above = new bool[anchors];
        for (int c = 0; c < numClasses; c++)
        {
            var row = output.Slice((4 + c) * anchors, anchors);
            for (int a = 0; a < anchors; a++)
                if (row[a] > confidence) above[a] = true;
        }

        for (int a = 0; a < anchors; a++)
            if (above[a]) found.Add(a);
        return found;
    }

    /// <summary>The box (x0, y0, x1, y1 in input pixels) of anchor <paramref name="anchor"/>.</summary>
    public static BoundingBox AnchorBox(ReadOnlySpan<float> output, int anchors, int anchor) =>
        BoundingBox.FromCenter(output[anchor], output[anchors + anchor], output[(2 * anchors) + anchor], output[(3 * anchors) + anchor]);

    public static int AnchorCount(int outputLength, int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        int rows = 4 + numClasses;
        if (outputLength % rows != 0)
            throw new ArgumentException($"output has {outputLength} values, not a multiple of 4 + {numClasses} classes");
        return outputLength / rows;
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
                box ??= AnchorBox(output, anchors, a);
                candidates.Add(new ScoredBox(c, score, box.Value));
            }
        }
        return candidates;
    }
}
