using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// The reference's <c>SPPF</c>: 1x1 conv to half the channels, three chained stride-1 max pools
/// (kernel 5), concatenation of all four maps, 1x1 conv.
/// </summary>
public sealed class Sppf : nn.Module<Tensor, Tensor>, IGraphLayer
{
    public Sppf(long inChannels, long outChannels, long kernel = 5) : base(nameof(Sppf))
    {
        Kernel = kernel;
        long hidden = inChannels / 2;
        Cv1 = new ConvBlock(inChannels, hidden, 1);
        Cv2 = new ConvBlock(hidden * 4, outChannels, 1);
        M = nn.MaxPool2d(kernel, stride: 1, padding: kernel / 2);
        register_module("cv1", Cv1);
        register_module("cv2", Cv2);
        register_module("m", M);
    }

    /// <summary>Max-pool kernel (stride 1, padding kernel/2).</summary>
    public long Kernel { get; }
    public ConvBlock Cv1 { get; }
    public ConvBlock Cv2 { get; }
    public MaxPool2d M { get; }

    public string TypeName => "SPPF";

    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var first = Cv1.forward(input);
        var pooled1 = M.forward(first);
        var pooled2 = M.forward(pooled1);
        var pooled3 = M.forward(pooled2);
        return Cv2.forward(cat([first, pooled1, pooled2, pooled3], 1)).MoveToOuterDisposeScope();
    }

    public Tensor Run(IReadOnlyList<Tensor> inputs) => forward(inputs[0]);

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs)
    {
        var first = Cv1.Cost(inputs);
        var last = Cv2.Cost([first.Output with { Channels = first.Output.Channels * 4 }]);
        return new LayerCost(last.Output, first.MultiplyAdds + last.MultiplyAdds);
    }
}
