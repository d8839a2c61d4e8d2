using System.Diagnostics;

namespace DigitMl.Experiments.Bench;

/// <summary>Repeated timing of one operation: warm-up runs, then the median of the measured runs.</summary>
public static class Timing
{
    /// <summary>Median seconds per call of <paramref name="operation"/> after <paramref name="warmup"/> unmeasured calls.</summary>
    public static double MedianSeconds(Action operation, int warmup, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        for (int i = 0; i < warmup; i++) operation();
        var samples = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return Median(samples);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
