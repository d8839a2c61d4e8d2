namespace DigitMl.Scoring;

/// <summary>Whether the page turn is decided by a vote of a turn-aware model's digits (docs/orientation.md).</summary>
public enum PageOrientationMode
{
    /// <summary>On for turn-aware models (orientations = 4), off for plain ones.</summary>
    Auto,

    /// <summary>Vote the page turn and rescore classes by it (turn-aware models only; plain models report no turn).</summary>
    On,

    /// <summary>Read output0 only (the max over turns), report no turn.</summary>
    Off,
}
