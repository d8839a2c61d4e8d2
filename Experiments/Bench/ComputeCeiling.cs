using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>What this machine's TorchSharp CPU backend can do at best: GFLOP/s of a large matrix product and of a 3x3 convolution.</summary>
public static class ComputeCeiling
{
    public static double MatMulGFlops(int size, int warmup, int repeats)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size);
        var b = randn(size, size);
        double seconds = Timing.MedianSeconds(() => { using var c = matmul(a, b); }, warmup, repeats);
        return 2.0 * size * size * size / seconds / 1e9;
    }

    /// <summary>A 3x3, stride 1, padded convolution shaped like the middle of a YOLOv8 backbone at 160 px.</summary>
    public static double Conv3x3GFlops(int batch, int channels, int size, int warmup, int repeats)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(batch, channels, size, size);
        var w = randn(channels, channels, 3, 3);
        double seconds = Timing.MedianSeconds(() => { using var y = nn.functional.conv2d(x, w, padding: [1, 1]); }, warmup, repeats);
        double flops = 2.0 * batch * channels * size * size * channels * 9;
        return flops / seconds / 1e9;
    }
}
