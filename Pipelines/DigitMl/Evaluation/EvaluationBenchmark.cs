using System.Diagnostics;

namespace DigitMl.Evaluation;

/// <summary>Timing of <see cref="DetectionEvaluator.Evaluate"/> alone (no inference) on synthetic detections, for the bench command.</summary>
public static class EvaluationBenchmark
{
    /// <summary>Result of <see cref="Measure"/>: the fastest and the median of the timed repetitions.</summary>
    public sealed record Timing(int Images, int PredictionsPerImage, int Repetitions, TimeSpan Best, TimeSpan Median);

    /// <summary>
    /// Evaluates <paramref name="images"/> synthetic images with <paramref name="predictionsPerImage"/> detections each
    /// over 10 classes, once to warm up and then <paramref name="repetitions"/> timed times.
    /// </summary>
    public static Timing Measure(int images = 500, int predictionsPerImage = 5, int repetitions = 5, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var names = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (truth, predictions) = SyntheticDetections.Generate(images, predictionsPerImage, names, seed);
        DetectionEvaluator.Evaluate(truth, predictions, names);
        var times = new List<TimeSpan>();
        for (int r = 0; r < repetitions; r++)
        {
            var watch = Stopwatch.StartNew();
            DetectionEvaluator.Evaluate(truth, predictions, names);
            times.Add(watch.Elapsed);
        }
        times.Sort();
        return new Timing(images, predictionsPerImage, repetitions, times[0], times[times.Count / 2]);
    }
}
