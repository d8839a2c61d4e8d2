using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>Nearest-neighbour upsampling by an integer factor (the reference's <c>nn.Upsample(None, 2, 'nearest')</c>).</summary>
public sealed class NearestUpsample : nn.Module<Tensor, Tensor>, IGraphLayer
{
    public NearestUpsample(int factor = 2) : base(nameof(NearestUpsample)) => Factor = factor;

    public int Factor { get; }

    public string TypeName => "Upsample";

    public override Tensor forward(Tensor input) =>
        nn.functional.interpolate(input, scale_factor: [Factor, Factor], mode: InterpolationMode.Nearest);

    public Tensor Run(IReadOnlyList<Tensor> inputs) => forward(inputs[0]);

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs) =>
        new(inputs[0] with { Height = inputs[0].Height * Factor, Width = inputs[0].Width * Factor }, 0);
}
