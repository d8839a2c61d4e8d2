namespace DigitMl.Experiments.Definitions;

/// <summary>
/// An experiment: what data, which settings are fixed, what is searched, how, within what budget, and by
/// which validation metric trials are ranked. Build one in code:
/// <code>
/// var experiment = ExperimentDefinition.Create("digits")
///     .Fix("scale", "n").Fix("imgsz", 160).Fix("epochs", 8)
///     .Search("lr0", 0.01, 0.02)
///     .UseSuccessiveHalving(trials: 3, minEpochs: 2)
///     .WithBudget(maxTrials: 3, maxTime: TimeSpan.FromMinutes(15));
/// </code>
/// or load one from YAML with <see cref="ExperimentYaml"/>.
/// </summary>
public sealed record ExperimentDefinition
{
    /// <summary>The <c>data</c> value meaning "the generated digit-scene dataset" (created on first use).</summary>
    public const string DefaultData = "default";

    private ExperimentDefinition(string name) => Name = name;

    public string Name { get; init; }

    /// <summary>Path to a data.yaml (relative paths resolve against the definition file's folder), or null/"default" for the generated digit scenes.</summary>
    public string? Data { get; init; }

    public TrialSettings Fixed { get; init; } = new();

    public SearchSpace Space { get; init; } = new();

    public SearchStrategy Strategy { get; init; } = SearchStrategy.Grid;

    public ExperimentBudget Budget { get; init; } = ExperimentBudget.Unlimited;

    public string RankBy { get; init; } = RankMetric.Fitness;

    /// <summary>Where the definition came from (a file path or "embedded:digits.yaml"); null when built in code.</summary>
    public string? Source { get; init; }

    public static ExperimentDefinition Create(string name) => new(name);

    public ExperimentDefinition WithData(string dataYaml) => this with { Data = dataYaml };

    public ExperimentDefinition Fix(string key, object? value)
    {
        var parameter = HyperParameters.Get(key);
        return this with { Fixed = parameter.With(Fixed, parameter.Parse(DigitMl.Training.Settings.Setting.FormatValue(value))) };
    }

    public ExperimentDefinition Fix(Func<TrialSettings, TrialSettings> change) => this with { Fixed = change(Fixed) };

    public ExperimentDefinition Search(string key, params object?[] values)
    {
        var space = new SearchSpace();
        foreach (var dimension in Space.Dimensions) space.Add(dimension.Parameter.Key, dimension.Values);
        space.Add(key, values);
        return this with { Space = space };
    }

    public ExperimentDefinition UseGrid() => this with { Strategy = SearchStrategy.Grid };

    public ExperimentDefinition UseRandom(int trials, int seed = 0) => this with { Strategy = SearchStrategy.Random(trials, seed) };

    public ExperimentDefinition UseSuccessiveHalving(int trials, int minEpochs = 1, int eta = 2, int seed = 0) =>
        this with { Strategy = SearchStrategy.SuccessiveHalving(trials, minEpochs, eta, seed) };

    public ExperimentDefinition WithBudget(int? maxTrials = null, TimeSpan? maxTime = null) => this with { Budget = new ExperimentBudget(maxTrials, maxTime) };

    public ExperimentDefinition RankedBy(string metric) => this with { RankBy = RankMetric.Normalize(metric) };

    /// <summary>The sweep's trials in order; <paramref name="maxTrials"/> (e.g. from the command line) tightens the budget.</summary>
    public IReadOnlyList<PlannedTrial> Plan(int? maxTrials = null)
    {
        int? cap = (maxTrials, Budget.MaxTrials) switch
        {
            (null, var b) => b,
            (var m, null) => m,
            (var m, var b) => Math.Min(m!.Value, b!.Value),
        };
        return Strategy.Plan(Fixed, Space, cap);
    }

    /// <summary>Settings that are legal but probably not what was meant, as sentences for the console.</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        var searched = Space.Dimensions.Select(d => d.Parameter.Key).ToHashSet();
        bool autoOptimizer = searched.Contains("optimizer")
            ? Space.Dimensions.First(d => d.Parameter.Key == "optimizer").Values.Any(v => v as string == "auto")
            : Fixed.Trainer.Optimizer == "auto";
        foreach (var key in new[] { "lr0", "momentum" }.Where(searched.Contains))
            if (autoOptimizer)
                warnings.Add($"note: trials with optimizer 'auto' ignore {key} on short runs (AdamW with a fitted learning rate, as the reference); fix optimizer to SGD or AdamW to search {key}");
        var trainer = Fixed.Trainer;
        if (trainer.Epochs <= trainer.CloseMosaic && !searched.Contains("close_mosaic") && (trainer.Mosaic > 0 || searched.Contains("mosaic")))
            warnings.Add($"note: close_mosaic ({trainer.CloseMosaic}) >= epochs ({trainer.Epochs}): mosaic is never used");
        return warnings;
    }

    /// <summary>The halving rule, or null for strategies that never stop a trial early.</summary>
    public SuccessiveHalvingRule? PruningRule =>
        Strategy.Kind == SearchStrategyKind.SuccessiveHalving ? new SuccessiveHalvingRule(Strategy.MinEpochs, Strategy.Eta) : null;
}
