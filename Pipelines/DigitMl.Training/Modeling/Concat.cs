using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>Concatenates its inputs along the channel dimension (no parameters).</summary>
public sealed class Concat : nn.Module<Tensor[], Tensor>, IGraphLayer
{
    public Concat() : base(nameof(Concat)) { }

    public string TypeName => "Concat";

    public override Tensor forward(Tensor[] input) => cat(input, 1);

    public Tensor Run(IReadOnlyList<Tensor> inputs) => cat(inputs.ToArray(), 1);

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs) =>
        new(inputs[0] with { Channels = inputs.Sum(i => i.Channels) }, 0);
}
