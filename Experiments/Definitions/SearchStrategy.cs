namespace DigitMl.Experiments.Definitions;

/// <summary>
/// How trials are chosen from the search space. <see cref="Trials"/> caps random and halving plans
/// (grid takes every combination unless the budget caps it).
/// </summary>
public sealed record SearchStrategy(SearchStrategyKind Kind, int? Trials = null, int Seed = 0, int MinEpochs = 1, int Eta = 2)
{
    public static SearchStrategy Grid { get; } = new(SearchStrategyKind.Grid);

    public static SearchStrategy Random(int trials, int seed = 0) => new(SearchStrategyKind.Random, trials, seed);

    public static SearchStrategy SuccessiveHalving(int trials, int minEpochs = 1, int eta = 2, int seed = 0) =>
        new(SearchStrategyKind.SuccessiveHalving, trials, seed, minEpochs, eta);

    public string Describe() => Kind switch
    {
        SearchStrategyKind.Grid => "grid",
        SearchStrategyKind.Random => $"random (seed {Seed})",
        _ => $"successive halving (seed {Seed}, rungs from epoch {MinEpochs}, eta {Eta})",
    };

    /// <summary>The ordered list of trials. Deterministic for a given space, fixed settings and seed.</summary>
    public IReadOnlyList<PlannedTrial> Plan(TrialSettings fixedSettings, SearchSpace space, int? maxTrials)
    {
        long size = space.Size;
        IEnumerable<long> order = Kind == SearchStrategyKind.Grid ? Range(size) : Sample(size, Trials ?? (int)Math.Min(size, int.MaxValue));
        int cap = Math.Min(maxTrials ?? int.MaxValue, Kind == SearchStrategyKind.Grid ? int.MaxValue : Trials ?? int.MaxValue);
        var trials = new List<PlannedTrial>();
        foreach (var index in order.Take(cap))
        {
            var settings = fixedSettings;
            var searched = new List<KeyValuePair<string, string>>();
            foreach (var (parameter, value) in space.Combination(index))
            {
                settings = parameter.With(settings, value);
                searched.Add(new(parameter.Key, DigitMl.Training.Settings.Setting.FormatValue(value)));
            }

            trials.Add(new PlannedTrial(trials.Count + 1, settings, searched));
        }

        return trials;
    }

    private static IEnumerable<long> Range(long size)
    {
        for (long i = 0; i < size; i++) yield return i;
    }

    private IEnumerable<long> Sample(long size, int count)
    {
        var random = new Random(Seed);
        if (size <= 100_000)
        {
            var all = Enumerable.Range(0, (int)size).Select(i => (long)i).ToArray();
            random.Shuffle(all);
            return all.Take(count);
        }

        var chosen = new HashSet<long>();
        while (chosen.Count < count) chosen.Add(random.NextInt64(size));
        return chosen;
    }
}
