using TorchSharp;
using DigitMl.Modeling;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// The box part of YOLOv8's loss: (1 - CIoU) and DFL over foreground anchors, each weighted by the anchor's
/// target score and divided by the sum of all target scores.
/// </summary>
public static class BoxRegressionLoss
{
    /// <param name="predDistributions">[B, A, 4 * regMax] raw DFL logits.</param>
    /// <param name="predBoxes">[B, A, 4] decoded predicted boxes in grid units (x0, y0, x1, y1).</param>
    /// <param name="anchorPoints">[A, 2] anchor centres in grid units.</param>
    /// <param name="targetBoxes">[B, A, 4] assigned ground-truth boxes in grid units.</param>
    /// <param name="targetScores">[B, A, nc] assigned soft class targets.</param>
    /// <param name="targetScoreSum">scalar normaliser (at least 1).</param>
    /// <param name="foreground">[B, A] assigned anchors.</param>
    /// <returns>(CIoU loss, DFL loss) scalars.</returns>
    public static (Tensor Iou, Tensor Dfl) Compute(Tensor predDistributions, Tensor predBoxes, Tensor anchorPoints, Tensor targetBoxes,
        Tensor targetScores, Tensor targetScoreSum, Tensor foreground, int regMax)
    {
        using var scope = NewDisposeScope();
        var fg = foreground.to_type(predBoxes.dtype);
        var weight = targetScores.sum(-1) * fg;  // [B, A]

        var ciou = BoxGeometry.CompleteIoU(predBoxes, targetBoxes);
        var iouLoss = (ciou.neg().add(Scalars.One, Scalars.One) * weight).sum() / targetScoreSum;

        long batch = predDistributions.shape[0], anchors = predDistributions.shape[1];
        var targetDistances = BoxGeometry.BoxesToDistances(anchorPoints, targetBoxes, regMax - 1);
        var logits = predDistributions.view(batch * anchors, 4, regMax);
        var dfl = DistributionFocalLoss.Compute(logits, targetDistances.view(batch * anchors, 4)).view(batch, anchors);
        var dflLoss = (dfl * weight).sum() / targetScoreSum;

        return (iouLoss.MoveToOuterDisposeScope(), dflLoss.MoveToOuterDisposeScope());
    }
}
