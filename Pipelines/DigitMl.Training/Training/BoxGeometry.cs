using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training;

/// <summary>
/// Box arithmetic on tensors used by the YOLOv8 loss and assigner. Boxes are (x0, y0, x1, y1) in the last
/// dimension; distances are (left, top, right, bottom) from an anchor point.
/// </summary>
public static class BoxGeometry
{
    private const double CiouEps = 1e-7;

    // held for the life of the process: see docs/training.md, "Native objects"
    private static readonly Scalar Eps = CiouEps.ToScalar();
    private static readonly Scalar OnePlusEps = (1 + CiouEps).ToScalar();
    private static readonly Scalar AspectWeight = (4 / (Math.PI * Math.PI)).ToScalar();
    private static readonly Scalar Four = 4.ToScalar();

    /// <summary>
    /// Complete IoU of element-wise paired boxes (shapes broadcast, last dimension 4): IoU minus the normalised
    /// centre distance minus the aspect-ratio consistency term. 1 for identical boxes; below IoU otherwise.
    /// </summary>
    public static Tensor CompleteIoU(Tensor boxes1, Tensor boxes2)
    {
        using var scope = NewDisposeScope();
        var b1 = boxes1.unbind(-1);
        var b2 = boxes2.unbind(-1);
        var (ax0, ay0, ax1, ay1) = (b1[0], b1[1], b1[2], b1[3]);
        var (bx0, by0, bx1, by1) = (b2[0], b2[1], b2[2], b2[3]);
        var w1 = ax1 - ax0;
        var h1 = (ay1 - ay0).clamp_min(Eps);
        var w2 = bx1 - bx0;
        var h2 = (by1 - by0).clamp_min(Eps);

        var inter = (minimum(ax1, bx1) - maximum(ax0, bx0)).clamp_min(Scalars.Zero)
                  * (minimum(ay1, by1) - maximum(ay0, by0)).clamp_min(Scalars.Zero);
        var union = (w1 * h1).Plus(w2 * h2).sub(inter).Plus(Eps);
        var iou = inter / union;

        // smallest enclosing box: its squared diagonal normalises the centre distance
        var cw = maximum(ax1, bx1) - minimum(ax0, bx0);
        var ch = maximum(ay1, by1) - minimum(ay0, by0);
        var diagonal2 = cw.pow(Scalars.Two).Plus(ch.pow(Scalars.Two)).Plus(Eps);
        var dx = bx0.Plus(bx1) - ax0 - ax1;
        var dy = by0.Plus(by1) - ay0 - ay1;
        var centre2 = dx.pow(Scalars.Two).Plus(dy.pow(Scalars.Two)).div(Four);

        var v = (atan(w2 / h2) - atan(w1 / h1)).pow(Scalars.Two).mul(AspectWeight);
        Tensor alpha;
        using (no_grad())
        {
            // the trade-off weight is treated as a constant in the gradient (as in the CIoU paper)
            alpha = v / (v - iou).Plus(OnePlusEps);
        }
        var ciou = iou - (centre2 / diagonal2).Plus(v * alpha);
        return ciou.MoveToOuterDisposeScope();
    }

    /// <summary>Distances (l, t, r, b) from anchor points to boxes (x0, y0, x1, y1): x0 = ax - l, x1 = ax + r, ...</summary>
    public static Tensor DistancesToBoxes(Tensor distances, Tensor anchorPoints)
    {
        using var scope = NewDisposeScope();
        var lt = distances.narrow(-1, 0, 2);
        var rb = distances.narrow(-1, 2, 2);
        return cat([anchorPoints - lt, anchorPoints.Plus(rb)], -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inverse of <see cref="DistancesToBoxes"/>: distances clamped into [0, maxDistance - 0.01] so that the DFL
    /// target always has a right-hand neighbour bin.
    /// </summary>
    public static Tensor BoxesToDistances(Tensor anchorPoints, Tensor boxes, double maxDistance)
    {
        using var scope = NewDisposeScope();
        var x0y0 = boxes.narrow(-1, 0, 2);
        var x1y1 = boxes.narrow(-1, 2, 2);
        using var max = (maxDistance - 0.01).ToScalar();
        return cat([anchorPoints - x0y0, x1y1 - anchorPoints], -1).clamp(Scalars.Zero, max).MoveToOuterDisposeScope();
    }

    /// <summary>(cx, cy, w, h) to (x0, y0, x1, y1) in the last dimension.</summary>
    public static Tensor CenterToCorners(Tensor boxes)
    {
        using var scope = NewDisposeScope();
        var c = boxes.narrow(-1, 0, 2);
        var half = boxes.narrow(-1, 2, 2).div(Scalars.Two);
        return cat([c - half, c.Plus(half)], -1).MoveToOuterDisposeScope();
    }
}
