using TorchSharp;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// Distribution focal loss (Generalized Focal Loss, Li et al. 2020) for YOLOv8's box regression: each side's
/// distance is predicted as a distribution over <c>regMax</c> integer bins; a continuous target t between bins
/// i = floor(t) and i + 1 is the cross-entropy on both neighbours, weighted by closeness: (i + 1 - t) and (t - i).
/// </summary>
public static class DistributionFocalLoss
{
    /// <param name="logits">[N, 4, regMax] bin logits per side.</param>
    /// <param name="targets">[N, 4] target distances in bins, in [0, regMax - 1).</param>
    /// <returns>[N] loss per box, averaged over its four sides.</returns>
    public static Tensor Compute(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logProbs = logits.log_softmax(-1);
        var left = targets.floor().to_type(ScalarType.Int64);
        var right = left.add(Scalars.One, Scalars.One);
        var leftWeight = right.to_type(targets.dtype) - targets;
        var rightWeight = leftWeight.neg().add(Scalars.One, Scalars.One);
        var leftLogProb = logProbs.gather(-1, left.unsqueeze(-1)).squeeze(-1);
        var rightLogProb = logProbs.gather(-1, right.unsqueeze(-1)).squeeze(-1);
        var loss = -(leftLogProb * leftWeight).add(rightLogProb * rightWeight, Scalars.One);
        return loss.mean([-1]).MoveToOuterDisposeScope();
    }
}
