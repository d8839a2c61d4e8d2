namespace DigitMl.Scoring;

/// <summary>
/// Post-processing thresholds as the reference's predictor uses them: keep candidates whose best class score is
/// above <see cref="Confidence"/>, suppress boxes of the same class (any class when <see cref="ClassAgnostic"/>)
/// overlapping a better one by more than <see cref="IoU"/>, keep at most <see cref="MaxDetections"/>.
/// </summary>
public sealed record DetectionThresholds(float Confidence = 0.25f, float IoU = 0.7f, int MaxDetections = 300, bool ClassAgnostic = false)
{
    /// <summary>At most this many candidates (best first) enter NMS, as the reference's max_nms.</summary>
    public const int MaxCandidates = 30000;

    public void Validate()
    {
        if (!(Confidence >= 0 && Confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "confidence threshold must be in [0, 1)");
        if (!(IoU > 0 && IoU <= 1))
            throw new ArgumentOutOfRangeException(nameof(IoU), IoU, "IoU threshold must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDetections);
    }
}
