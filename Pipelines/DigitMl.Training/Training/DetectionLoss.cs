using TorchSharp;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>Result of <see cref="DetectionLoss.Compute"/>.</summary>
/// <param name="Total">scalar to back-propagate: (box + cls + dfl) * batch size, as the reference does.</param>
/// <param name="Box">gain-weighted CIoU loss (detached scalar value).</param>
/// <param name="Cls">gain-weighted BCE class loss.</param>
/// <param name="Dfl">gain-weighted distribution focal loss.</param>
public sealed record DetectionLossResult(Tensor Total, float Box, float Cls, float Dfl) : IDisposable
{
    public void Dispose() => Total.Dispose();
}

/// <summary>
/// YOLOv8's detection loss over the three raw head maps: task-aligned assignment, BCE on all class logits
/// against the soft targets, CIoU + DFL on the assigned anchors; every term divided by the sum of target
/// scores (at least 1) and weighted by <see cref="DetectionLossGains"/>.
/// </summary>
public sealed class DetectionLoss
{
    private readonly long[] _strides;
    private readonly TaskAlignedAssigner _assigner;

    /// <param name="assignerMinSide">Box sides below this (pixels) are widened for the assigner's candidate test (0: off).</param>
    public DetectionLoss(int numClasses, long[] strides, int regMax = 16, DetectionLossGains? gains = null, double assignerMinSide = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        NumClasses = numClasses;
        RegMax = regMax;
        _strides = strides;
        Gains = gains ?? new DetectionLossGains();
        _assigner = new TaskAlignedAssigner(numClasses, minCandidateSide: assignerMinSide);
    }

    public int NumClasses { get; }

    public int RegMax { get; }

    public DetectionLossGains Gains { get; }

    /// <param name="rawMaps">head outputs, one per stride: [B, 4 * regMax + nc, H/s, W/s].</param>
    /// <param name="targets">[B, M, 5] per image and slot: class, x0, y0, x1, y1 in input pixels.</param>
    /// <param name="targetMask">[B, M] 1 for real boxes, 0 for padding slots.</param>
    /// <param name="profile">when given, the assigner's time is added to <see cref="StepPhase.Assigner"/> and the rest to <see cref="StepPhase.Loss"/>.</param>
    public DetectionLossResult Compute(Tensor[] rawMaps, Tensor targets, Tensor targetMask, StepProfile? profile = null)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        long assignerTicks = 0;
        var result = Compute(rawMaps, targets, targetMask, ref assignerTicks);
        profile?.Add(StepPhase.Assigner, assignerTicks);
        profile?.Add(StepPhase.Loss, System.Diagnostics.Stopwatch.GetTimestamp() - start - assignerTicks);
        return result;
    }

    private DetectionLossResult Compute(Tensor[] rawMaps, Tensor targets, Tensor targetMask, ref long assignerTicks)
    {
        if (rawMaps.Length != _strides.Length)
            throw new ArgumentException($"expected {_strides.Length} head maps, got {rawMaps.Length}", nameof(rawMaps));
        using var scope = NewDisposeScope();
        long batch = rawMaps[0].shape[0];
        long channels = (4 * RegMax) + NumClasses;
        var flat = cat(rawMaps.Select(m =>
        {
            if (m.shape[1] != channels)
                throw new ArgumentException($"head map has {m.shape[1]} channels, expected {channels} (4*{RegMax}+{NumClasses})", nameof(rawMaps));
            return m.view(batch, channels, -1);
        }).ToArray(), 2);
        var predDistributions = flat.narrow(1, 0, 4 * RegMax).permute(0, 2, 1).contiguous();  // [B, A, 4*regMax]
        var predLogits = flat.narrow(1, 4 * RegMax, NumClasses).permute(0, 2, 1).contiguous(); // [B, A, nc]
        var dtype = predLogits.dtype;

        var (anchorPoints, strideTensor) = Anchors.Make(rawMaps, _strides);
        var predBoxes = DecodeBoxes(predDistributions, anchorPoints);  // grid units

        var gtLabels = targets.select(-1, 0);
        var gtBoxes = targets.narrow(-1, 1, 4).to_type(dtype);
        long assignerStart = System.Diagnostics.Stopwatch.GetTimestamp();
        using var assignment = _assigner.Assign(
            predLogits.detach().sigmoid(),
            (predBoxes.detach() * strideTensor).to_type(dtype),
            anchorPoints * strideTensor,
            gtLabels, gtBoxes, targetMask);
        assignerTicks = System.Diagnostics.Stopwatch.GetTimestamp() - assignerStart;

        var targetScoreSum = assignment.TargetScores.sum().clamp_min(Scalars.One);
        var cls = nn.functional.binary_cross_entropy_with_logits(predLogits, assignment.TargetScores, reduction: nn.Reduction.None).sum() / targetScoreSum;

        Tensor box, dfl;
        if (assignment.ForegroundMask.any().item<bool>())
        {
            (box, dfl) = BoxRegressionLoss.Compute(predDistributions, predBoxes, anchorPoints, assignment.TargetBoxes / strideTensor,
                assignment.TargetScores, targetScoreSum, assignment.ForegroundMask, RegMax);
        }
        else
        {
            box = zeros([], dtype, predLogits.device);
            dfl = zeros([], dtype, predLogits.device);
        }

        using (var boxGain = Gains.Box.ToScalar())
            box = box * boxGain;
        using (var clsGain = Gains.Cls.ToScalar())
            cls = cls * clsGain;
        using (var dflGain = Gains.Dfl.ToScalar())
            dfl = dfl * dflGain;
        using var batchSize = batch.ToScalar();
        var total = box.add(cls, Scalars.One).add(dfl, Scalars.One) * batchSize;
        return new DetectionLossResult(total.MoveToOuterDisposeScope(), box.item<float>(), cls.item<float>(), dfl.item<float>());
    }

    /// <summary>Expected distance per side from the DFL softmax, then boxes around the anchors (grid units).</summary>
    private Tensor DecodeBoxes(Tensor predDistributions, Tensor anchorPoints)
    {
        long batch = predDistributions.shape[0], anchors = predDistributions.shape[1];
        using var end = RegMax.ToScalar();
        var bins = arange(Scalars.Zero, end, Scalars.One, predDistributions.dtype, predDistributions.device);
        var distances = predDistributions.view(batch, anchors, 4, RegMax).softmax(-1).matmul(bins);
        return BoxGeometry.DistancesToBoxes(distances, anchorPoints);
    }
}
