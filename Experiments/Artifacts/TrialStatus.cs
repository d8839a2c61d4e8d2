namespace DigitMl.Experiments.Artifacts;

public enum TrialStatus
{
    Succeeded,
    Failed,

    /// <summary>Stopped early by successive halving: its settings looked weak at a rung epoch.</summary>
    Pruned,
}
