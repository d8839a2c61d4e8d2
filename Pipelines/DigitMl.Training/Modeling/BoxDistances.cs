using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>Conversions between (left, top, right, bottom) distances from an anchor point and boxes.</summary>
public static class BoxDistances
{
    /// <summary>Distances <c>(l, t, r, b)</c> along <paramref name="dim"/> to <c>(cx, cy, w, h)</c>.</summary>
    public static Tensor ToXywh(Tensor distance, Tensor anchorPoints, long dim = -1)
    {
        using var scope = NewDisposeScope();
        var (topLeft, bottomRight) = Corners(distance, anchorPoints, dim);
        return cat([topLeft.add(bottomRight, Scalars.One).div(Scalars.Two), bottomRight - topLeft], dim).MoveToOuterDisposeScope();
    }

    /// <summary>Distances <c>(l, t, r, b)</c> along <paramref name="dim"/> to <c>(x0, y0, x1, y1)</c>.</summary>
    public static Tensor ToXyxy(Tensor distance, Tensor anchorPoints, long dim = -1)
    {
        using var scope = NewDisposeScope();
        var (topLeft, bottomRight) = Corners(distance, anchorPoints, dim);
        return cat([topLeft, bottomRight], dim).MoveToOuterDisposeScope();
    }

    /// <summary>Boxes <c>(x0, y0, x1, y1)</c> (last dim) to distances from the anchors, clamped to <c>[0, maxDistance]</c>.</summary>
    public static Tensor FromXyxy(Tensor anchorPoints, Tensor boxes, double maxDistance)
    {
        using var scope = NewDisposeScope();
        var corners = boxes.chunk(2, -1);
        using var max = maxDistance.ToScalar();
        return cat([anchorPoints - corners[0], corners[1] - anchorPoints], -1)
            .clamp(Scalars.Zero, max).MoveToOuterDisposeScope();
    }

    private static (Tensor TopLeft, Tensor BottomRight) Corners(Tensor distance, Tensor anchorPoints, long dim)
    {
        var sides = distance.chunk(2, dim);
        return (anchorPoints - sides[0], anchorPoints.add(sides[1], Scalars.One));
    }
}
