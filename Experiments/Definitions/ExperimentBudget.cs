namespace DigitMl.Experiments.Definitions;

/// <summary>Limits of a sweep: trials and/or wall time. Time is checked before each trial starts.</summary>
public sealed record ExperimentBudget(int? MaxTrials = null, TimeSpan? MaxTime = null)
{
    public static ExperimentBudget Unlimited { get; } = new();
}
