using DigitMl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Training.Optimization;

/// <summary>
/// Adam and AdamW (PyTorch's rules): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps). Adam adds the weight decay to the gradient;
/// AdamW (<paramref name="decoupled"/>) shrinks the weights by lr * wd before the step.
/// </summary>
public sealed class AdamOptimizer(IReadOnlyList<ParameterGroup> groups, bool decoupled, double beta2 = 0.999, double epsilon = 1e-8)
    : DetectorOptimizer(decoupled ? "AdamW" : "Adam", groups)
{
    public bool Decoupled { get; } = decoupled;

    public double Beta2 { get; } = beta2;

    public double Epsilon { get; } = epsilon;

    protected override void Update(ParameterGroup group, Tensor parameter, Tensor grad, string key)
    {
        double beta1 = group.Momentum;
        double correction1 = 1 - Math.Pow(beta1, Steps);
        double correction2 = 1 - Math.Pow(Beta2, Steps);
        using var b1 = beta1.ToScalar();
        using var oneMinusB1 = (1 - beta1).ToScalar();
        using var b2 = Beta2.ToScalar();
        using var oneMinusB2 = (1 - Beta2).ToScalar();
        using var eps = Epsilon.ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var step = (-group.LearningRate / correction1).ToScalar();

        var g = grad;
        if (group.WeightDecay != 0)
        {
            if (Decoupled)
            {
                using var shrink = (1 - (group.LearningRate * group.WeightDecay)).ToScalar();
                parameter.mul_(shrink);
            }
            else
            {
                using var decay = group.WeightDecay.ToScalar();
                g = grad.add(parameter, decay);
            }
        }

        var m = State(key, "exp_avg", () => zeros_like(parameter));
        var v = State(key, "exp_avg_sq", () => zeros_like(parameter));
        m.mul_(b1).add_(g, oneMinusB1);
        v.mul_(b2).addcmul_(g, g, oneMinusB2);
        var denominator = v.sqrt().div(sqrtCorrection2).Plus(eps);
        parameter.addcdiv_(m, denominator, step);
    }
}
