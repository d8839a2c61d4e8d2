using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// 2-D batch normalisation with the parameters and buffers of <c>nn.BatchNorm2d</c> (same state-dict names), whose
/// training step counts <c>num_batches_tracked</c> with held scalars. TorchSharp's own <c>BatchNorm.forward</c>
/// runs <c>num_batches_tracked.add_(1)</c>, two implicit int-to-Scalar temporaries on every layer of every step,
/// which the garbage collector may free while libtorch reads them (measured: "toLong" and "alpha must not be a
/// floating point number" failures at random under load). Momentum is a fixed factor, as the reference uses it.
/// </summary>
public sealed class BatchNorm2dLayer : TorchSharp.Modules.BatchNorm
{
    public BatchNorm2dLayer(long features, double eps, double momentum)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: nameof(BatchNorm2dLayer))
    {
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        if (training && num_batches_tracked is { } counter)
            counter.add_(Scalars.One, Scalars.One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum ?? 0.1, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ndim != 4) throw new ArgumentException($"expected a 4-D input [batch, channels, height, width], got {input.ndim}-D");
    }
}
