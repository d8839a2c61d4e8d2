using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>One numbered layer of the model (the <c>model.N</c> entries of the state dict).</summary>
public interface IYoloLayer
{
    /// <summary>The reference's module name (Conv, C2f, SPPF, Upsample, Concat, Detect).</summary>
    string TypeName { get; }

    /// <summary>Analytic output shape and convolution multiply-adds for the given input shapes.</summary>
    LayerCost Cost(IReadOnlyList<FeatureShape> inputs);
}

/// <summary>A layer of the backbone or neck: several inputs (usually one), one output.</summary>
public interface IGraphLayer : IYoloLayer
{
    Tensor Run(IReadOnlyList<Tensor> inputs);
}
