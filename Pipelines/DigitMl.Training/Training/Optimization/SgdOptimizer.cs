using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training.Optimization;

/// <summary>
/// SGD with momentum and optional Nesterov (PyTorch's rule, no dampening): g = grad + wd * p;
/// buf = momentum * buf + g (buf = g on the first step); d = g + momentum * buf (Nesterov) or buf; p -= lr * d.
/// </summary>
public sealed class SgdOptimizer(IReadOnlyList<ParameterGroup> groups, bool nesterov = true) : DetectorOptimizer("SGD", groups)
{
    public bool Nesterov { get; } = nesterov;

    protected override void Update(ParameterGroup group, Tensor parameter, Tensor grad, string key)
    {
        using var decay = group.WeightDecay.ToScalar();
        using var momentum = group.Momentum.ToScalar();
        using var step = (-group.LearningRate).ToScalar();
        var g = group.WeightDecay != 0 ? grad.add(parameter, decay) : grad;
        var direction = g;
        if (group.Momentum != 0)
        {
            bool fresh = false;
            var buffer = State(key, "momentum_buffer", () =>
            {
                fresh = true;
                return g.clone();
            });
            if (!fresh) buffer.mul_(momentum).add_(g, Scalars.One);
            direction = Nesterov ? g.add(buffer, momentum) : buffer;
        }
        parameter.add_(direction, step);
    }
}
