using DigitMl.Pipelines.Data;
using DigitMl.Pipelines.Scoring;

namespace DigitMl.Pipelines.Evaluation;

/// <summary>Metrics per sample rotation (0, 90, 180, 270): how well a detector copes with each page orientation.</summary>
public static class RotationBreakdown
{
    /// <summary>One <see cref="DetectionMetrics"/> per distinct <see cref="YoloSample.RotationDegrees"/>, ascending.</summary>
    public static IReadOnlyList<(int RotationDegrees, DetectionMetrics Metrics)> Evaluate(
        IReadOnlyList<YoloSample> samples,
        IReadOnlyList<IReadOnlyList<Detection>> predictions,
        IReadOnlyList<string> names,
        EvaluationOptions? options = null)
    {
        if (samples.Count != predictions.Count) throw new ArgumentException($"{samples.Count} samples but {predictions.Count} prediction lists");
        return samples
            .Select((sample, i) => (sample, i))
            .GroupBy(x => x.sample.RotationDegrees)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, DetectionEvaluator.Evaluate(
                g.Select(x => x.sample.Objects).ToArray(),
                g.Select(x => predictions[x.i]).ToArray(),
                names,
                options)))
            .ToArray();
    }
}
