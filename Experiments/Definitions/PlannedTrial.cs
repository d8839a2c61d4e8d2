namespace DigitMl.Experiments.Definitions;

/// <summary>One trial of a sweep plan: its full settings and the searched values that make it different.</summary>
public sealed record PlannedTrial(int Index, TrialSettings Settings, IReadOnlyList<KeyValuePair<string, string>> Searched)
{
    public string Name => $"t{Index:D2}";

    /// <summary>"lr0=0.02 mosaic=0", or "(fixed settings)" for a single-trial plan.</summary>
    public string Description => Searched.Count == 0 ? "(fixed settings)" : string.Join(' ', Searched.Select(kv => $"{kv.Key}={kv.Value}"));
}
