using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Distribution Focal Loss integral: turns each side's <c>RegMax</c> logits into the expected
/// distance (softmax, then a fixed 1x1 convolution whose weights are 0..RegMax-1). The
/// convolution is never trained.
/// </summary>
public sealed class Dfl : nn.Module<Tensor, Tensor>
{
    public Dfl(int regMax = 16) : base(nameof(Dfl))
    {
        RegMax = regMax;
        Conv = nn.Conv2d(regMax, 1, 1, bias: false);
        using (no_grad())
        {
            using var end = regMax.ToScalar();
            using var bins = arange(Scalars.Zero, end, Scalars.One, dtype: ScalarType.Float32).view(1, regMax, 1, 1);
            Conv.weight!.copy_(bins);
        }
        Conv.weight!.requires_grad = false;
        register_module("conv", Conv);
    }

    public int RegMax { get; }
    public Conv2d Conv { get; }

    /// <summary><c>[B, 4*RegMax, A]</c> logits to <c>[B, 4, A]</c> distances in grid units.</summary>
    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], anchors = input.shape[2];
        using var scope = NewDisposeScope();
        var probabilities = input.view(batch, 4, RegMax, anchors).transpose(2, 1).softmax(1);
        return MixedPrecision.Conv(Conv, probabilities).view(batch, 4, anchors).MoveToOuterDisposeScope();
    }
}
