namespace DigitMl.Modeling;

/// <summary>One row of the model table: layer number, inputs, repeats, module, parameters, output shape, GFLOPs.</summary>
public sealed record LayerSummary(int Index, IReadOnlyList<int> From, int Repeats, string Module, long Parameters, FeatureShape Output, double GFlops);
