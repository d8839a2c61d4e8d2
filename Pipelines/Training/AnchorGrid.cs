using static TorchSharp.torch;

namespace DigitMl.Pipelines.Training;

/// <summary>Anchor centres (grid units, cell centre = index + 0.5) and the stride of each anchor, levels concatenated.</summary>
internal static class AnchorGrid
{
    public static (Tensor AnchorPoints, Tensor StrideTensor) Make(Tensor[] maps, long[] strides, double offset = 0.5)
    {
        using var scope = NewDisposeScope();
        var points = new List<Tensor>();
        var strideParts = new List<Tensor>();
        var dtype = maps[0].dtype;
        var device = maps[0].device;
        for (int i = 0; i < maps.Length; i++)
        {
            long h = maps[i].shape[2], w = maps[i].shape[3];
            var sx = arange(w, dtype, device) + offset;
            var sy = arange(h, dtype, device) + offset;
            var grid = meshgrid([sy, sx], indexing: "ij");
            points.Add(stack([grid[1], grid[0]], -1).view(-1, 2));
            strideParts.Add(full([h * w, 1], strides[i], dtype, device));
        }
        return (cat(points, 0).MoveToOuterDisposeScope(), cat(strideParts, 0).MoveToOuterDisposeScope());
    }
}
