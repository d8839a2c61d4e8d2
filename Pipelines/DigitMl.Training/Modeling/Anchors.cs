using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>Anchor points (cell centres in grid units) of the detection levels, level after level, row-major.</summary>
public static class Anchors
{
    /// <summary>
    /// Returns <c>anchorPoints [A, 2]</c> (x, y in grid units of each level, cell centre at +offset) and
    /// <c>strideTensor [A, 1]</c> for the feature maps <paramref name="feats"/> (<c>[B, C, H, W]</c> each);
    /// dtype and device follow <c>feats[0]</c>.
    /// </summary>
    public static (Tensor AnchorPoints, Tensor StrideTensor) Make(Tensor[] feats, long[] strides, double offset = 0.5)
    {
        ArgumentNullException.ThrowIfNull(feats);
        ArgumentNullException.ThrowIfNull(strides);
        if (feats.Length != strides.Length)
            throw new ArgumentException($"Anchors.Make: {feats.Length} feature maps but {strides.Length} strides.");
        var dtype = feats[0].dtype;
        var device = feats[0].device;
        using var scope = NewDisposeScope();
        using var shift = offset.ToScalar();
        var points = new List<Tensor>();
        var strideParts = new List<Tensor>();
        for (int level = 0; level < feats.Length; level++)
        {
            long height = feats[level].shape[2], width = feats[level].shape[3];
            using var widthEnd = width.ToScalar();
            using var heightEnd = height.ToScalar();
            var xs = arange(Scalars.Zero, widthEnd, Scalars.One, dtype: dtype, device: device).Plus(shift);
            var ys = arange(Scalars.Zero, heightEnd, Scalars.One, dtype: dtype, device: device).Plus(shift);
            var grid = meshgrid([ys, xs], indexing: "ij");
            points.Add(stack([grid[1], grid[0]], -1).view(-1, 2));
            using var stride = strides[level].ToScalar();
            strideParts.Add(full(height * width, 1, stride, dtype: dtype, device: device));
        }
        var anchorPoints = cat(points, 0).MoveToOuterDisposeScope();
        var strideTensor = cat(strideParts, 0).MoveToOuterDisposeScope();
        return (anchorPoints, strideTensor);
    }
}
