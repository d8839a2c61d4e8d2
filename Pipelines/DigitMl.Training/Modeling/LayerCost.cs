namespace DigitMl.Modeling;

/// <summary>Output shape of a layer for one image and the multiply-adds of its convolutions.</summary>
public readonly record struct LayerCost(FeatureShape Output, double MultiplyAdds);
