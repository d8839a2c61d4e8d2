using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// The reference's <c>C2f</c>: a 1x1 conv whose output is split in two halves, a chain of
/// bottlenecks on the second half, every intermediate result concatenated, then a 1x1 conv.
/// </summary>
public sealed class C2f : nn.Module<Tensor, Tensor>, IGraphLayer
{
    public C2f(long inChannels, long outChannels, int repeats, bool shortcut, double expansion = 0.5)
        : base(nameof(C2f))
    {
        Hidden = (long)(outChannels * expansion);
        Cv1 = new ConvBlock(inChannels, 2 * Hidden, 1);
        Cv2 = new ConvBlock((2 + repeats) * Hidden, outChannels, 1);
        M = nn.ModuleList(Enumerable.Range(0, repeats).Select(_ => new Bottleneck(Hidden, Hidden, shortcut)).ToArray());
        register_module("cv1", Cv1);
        register_module("cv2", Cv2);
        register_module("m", M);
    }

    /// <summary>Channels of each half (and of each bottleneck).</summary>
    public long Hidden { get; }
    public ConvBlock Cv1 { get; }
    public ConvBlock Cv2 { get; }
    public ModuleList<Bottleneck> M { get; }

    public string TypeName => "C2f";

    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>(Cv1.forward(input).chunk(2, 1));
        foreach (var bottleneck in M)
            parts.Add(bottleneck.forward(parts[^1]));
        return Cv2.forward(cat(parts, 1)).MoveToOuterDisposeScope();
    }

    public Tensor Run(IReadOnlyList<Tensor> inputs) => forward(inputs[0]);

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs)
    {
        var first = Cv1.Cost(inputs);
        var half = first.Output with { Channels = Hidden };
        double macs = first.MultiplyAdds + M.Sum(b => b.MultiplyAdds(half));
        var last = Cv2.Cost([first.Output with { Channels = (2 + M.Count) * Hidden }]);
        return new LayerCost(last.Output, macs + last.MultiplyAdds);
    }
}
