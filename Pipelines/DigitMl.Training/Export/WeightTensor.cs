namespace DigitMl.Export;

/// <summary>One float32 tensor of a state dict, copied out of TorchSharp: shape and row-major values.</summary>
public sealed record WeightTensor(long[] Shape, float[] Data)
{
    public long Dim(int index) => Shape[index];
}
