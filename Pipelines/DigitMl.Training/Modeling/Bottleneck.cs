using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>Two 3x3 <see cref="ConvBlock"/>s with an optional residual connection (only when shapes allow it).</summary>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    public Bottleneck(long inChannels, long outChannels, bool shortcut, double expansion = 1.0)
        : base(nameof(Bottleneck))
    {
        long hidden = (long)(outChannels * expansion);
        Cv1 = new ConvBlock(inChannels, hidden, 3);
        Cv2 = new ConvBlock(hidden, outChannels, 3);
        HasShortcut = shortcut && inChannels == outChannels;
        register_module("cv1", Cv1);
        register_module("cv2", Cv2);
    }

    public ConvBlock Cv1 { get; }
    public ConvBlock Cv2 { get; }
    public bool HasShortcut { get; }

    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        using var hidden = Cv1.forward(input);
        if (!HasShortcut)
            return Cv2.forward(hidden);
        using var residual = Cv2.forward(hidden);
        return input.add(residual, Scalars.One);
    }

    public double MultiplyAdds(FeatureShape input)
    {
        var first = Cv1.Cost([input]);
        return first.MultiplyAdds + Cv2.Cost([first.Output]).MultiplyAdds;
    }
}
