using System.Diagnostics;

namespace DigitMl.Experiments.Bench;

/// <summary>
/// Interleaved timing for ratios on a shared machine: each round runs every operation once, in order, so a load spike
/// hits all of them alike; the figure of an operation is its median over rounds, a ratio is the median of the
/// per-round ratios.
/// </summary>
internal sealed class InferenceTiming
{
    private readonly List<double[]> _rounds = [];

    private InferenceTiming(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }

    public static InferenceTiming Measure(IReadOnlyList<(string Name, Action Run)> operations, int warmup, int rounds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        var timing = new InferenceTiming(operations.Select(o => o.Name).ToList());
        for (int i = 0; i < warmup; i++)
            foreach (var (_, run) in operations) run();
        for (int r = 0; r < rounds; r++)
        {
            var seconds = new double[operations.Count];
            for (int k = 0; k < operations.Count; k++)
            {
                long start = Stopwatch.GetTimestamp();
                operations[k].Run();
                seconds[k] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            timing._rounds.Add(seconds);
        }

        return timing;
    }

    /// <summary>Median milliseconds of one call.</summary>
    public double Ms(string name) => Timing.Median(_rounds.Select(r => r[Index(name)]).ToList()) * 1000;

    /// <summary>Fastest call in milliseconds: the cost without contention on a shared machine.</summary>
    public double BestMs(string name) => _rounds.Min(r => r[Index(name)]) * 1000;

    /// <summary>Median over rounds of <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public double Ratio(string numerator, string denominator, double denominatorScale = 1)
    {
        int n = Index(numerator), d = Index(denominator);
        return Timing.Median(_rounds.Select(r => r[n] / (r[d] * denominatorScale)).ToList());
    }

    private int Index(string name)
    {
        for (int i = 0; i < Names.Count; i++)
            if (Names[i] == name) return i;
        throw new ArgumentException($"no timed operation '{name}'", nameof(name));
    }
}
