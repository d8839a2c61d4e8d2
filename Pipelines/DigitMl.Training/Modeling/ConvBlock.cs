using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>The reference's <c>Conv</c>: convolution without bias, batch norm (eps 1e-3, momentum 0.03), SiLU.</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>, IGraphLayer
{
    public const double BatchNormEps = 1e-3;
    public const double BatchNormMomentum = 0.03;

    public ConvBlock(long inChannels, long outChannels, long kernel = 1, long stride = 1, long groups = 1)
        : base(nameof(ConvBlock))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Groups = groups;
        Conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false);
        Bn = new BatchNorm2dLayer(outChannels, BatchNormEps, BatchNormMomentum);
        Act = nn.SiLU();
        register_module("conv", Conv);
        register_module("bn", Bn);
        register_module("act", Act);
    }

    public long InChannels { get; }
    public long OutChannels { get; }
    public long Kernel { get; }
    public long Stride { get; }
    public long Groups { get; }
    public Conv2d Conv { get; }
    public BatchNorm2dLayer Bn { get; }
    public SiLU Act { get; }

    public string TypeName => "Conv";

    // Sub-modules are registered explicitly under the reference's names in the constructor; the
    // default reflection-based registration would add the property backing fields a second time.
    protected override void RegisterComponents() { }

    public override Tensor forward(Tensor input)
    {
        using var convolved = MixedPrecision.Conv(Conv, input);
        using var normalised = Bn.forward(convolved);
        return Act.forward(normalised);
    }

    public Tensor Run(IReadOnlyList<Tensor> inputs) => forward(inputs[0]);

    public LayerCost Cost(IReadOnlyList<FeatureShape> inputs)
    {
        var input = inputs[0];
        long pad = Kernel / 2;
        long height = (input.Height + 2 * pad - Kernel) / Stride + 1;
        long width = (input.Width + 2 * pad - Kernel) / Stride + 1;
        var output = new FeatureShape(OutChannels, height, width);
        double macs = (double)Kernel * Kernel * (InChannels / Groups) * OutChannels * height * width;
        return new LayerCost(output, macs);
    }
}
