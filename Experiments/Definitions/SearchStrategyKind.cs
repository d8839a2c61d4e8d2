namespace DigitMl.Experiments.Definitions;

public enum SearchStrategyKind
{
    /// <summary>Every combination in order.</summary>
    Grid,

    /// <summary>A seeded random sample of combinations.</summary>
    Random,

    /// <summary>A seeded random sample; trials whose validation fitness at a rung epoch falls outside the top 1/eta of the trials before them are stopped early.</summary>
    SuccessiveHalving,
}
