using DigitMl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Experiments.Bench;

/// <summary>What this machine's TorchSharp CPU backend can do at best, per dtype: GFLOP/s of a large matrix product and of 3x3 convolutions.</summary>
public static class ComputeCeiling
{
    public static double MatMulGFlops(int size, int warmup, int repeats, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size).to_type(dtype);
        var b = randn(size, size).to_type(dtype);
        double seconds = Timing.MedianSeconds(() => { using var c = matmul(a, b); }, warmup, repeats);
        return 2.0 * size * size * size / seconds / 1e9;
    }

    /// <summary>A 3x3, stride 1, padded convolution (forward only) shaped like the middle of a YOLOv8 backbone at 160 px.</summary>
    public static double Conv3x3GFlops(int batch, int channels, int size, int warmup, int repeats, TrainingPrecision? precision = null)
    {
        precision ??= TrainingPrecision.Float32;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = precision.PrepareInput(randn(batch, channels, size, size));
        var w = randn(channels, channels, 3, 3).to_type(precision.DType);
        double seconds = Timing.MedianSeconds(() => { using var y = nn.functional.conv2d(x, w, padding: [1, 1]); }, warmup, repeats);
        double flops = 2.0 * batch * channels * size * size * channels * 9;
        return flops / seconds / 1e9;
    }

    /// <summary>
    /// The convolution peak: a wide 3x3 convolution (256 channels at 20x20 by default), forward and backward (gradients of
    /// the input and the weight: 3x the forward FLOPs), in the precision's dtype and memory layout, as the model trains.
    /// </summary>
    public static double WideConvTrainGFlops(int batch, int channels, int size, int warmup, int repeats, TrainingPrecision precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        using var scope = NewDisposeScope();
        var x = precision.PrepareInput(randn(batch, channels, size, size)).requires_grad_(true);
        var w = randn(channels, channels, 3, 3).to_type(precision.DType).requires_grad_(true);
        double seconds = Timing.MedianSeconds(() =>
        {
            using var step = NewDisposeScope();
            var y = nn.functional.conv2d(x, w, padding: [1, 1]);
            y.backward([ones_like(y)]);
            x.grad?.zero_();
            w.grad?.zero_();
        }, warmup, repeats);
        double flops = 3 * 2.0 * batch * channels * size * size * channels * 9;
        return flops / seconds / 1e9;
    }
}
