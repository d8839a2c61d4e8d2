using DigitMl.Data;

namespace DigitMl.Scoring;

/// <summary>
/// What was found in one image: the detections in the image's own pixels (best first) and the page turn a turn-aware
/// model voted (degrees clockwise: 0, 90, 180 or 270; null for plain models or with page orientation off).
/// </summary>
public sealed record PageDetections(IReadOnlyList<Detection> Detections, int? PageTurn)
{
    /// <summary>The <see cref="ScoringColumns.PageTurn"/> column value: the turn, or -1 when none was decided.</summary>
    public int PageTurnOrNone => PageTurn ?? -1;
}
