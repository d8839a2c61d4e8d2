using DigitMl.Pipelines.Data;

namespace DigitMl.Pipelines.Scoring;

/// <summary>
/// Turns one image's <c>output0</c> slice ([4+nc, anchors], row-major: cx, cy, w, h rows then one score row per
/// class) into detections: best class per anchor, confidence filter, NMS, max detections. Boxes stay in the
/// model's input (letterbox) pixels.
/// </summary>
public static class YoloOutputDecoder
{
    public static List<ScoredBox> Decode(ReadOnlySpan<float> output, int numClasses, DetectionThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        int rows = 4 + numClasses;
        if (output.Length % rows != 0)
            throw new ArgumentException($"output has {output.Length} values, not a multiple of 4 + {numClasses} classes", nameof(output));
        int anchors = output.Length / rows;

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
}
