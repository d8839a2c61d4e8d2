using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Mixed precision without autocast (TorchSharp 0.107 has none): the model's parameters and BatchNorm statistics
/// always stay float32, and every layer computes in the dtype of its input. A convolution given a bf16 input
/// casts its float32 weight (and bias) to bf16 for that call; autograd's backward of the cast hands float32
/// gradients to the float32 parameters, so gradients accumulate, are clipped and applied in float32 and the
/// optimizer state is float32 too. BatchNorm takes a bf16 input with float32 weight, bias and running statistics
/// (libtorch's mixed-type batch norm), SiLU, max-pooling, upsampling and concatenation follow their input.
/// A float32 input runs exactly as before (no cast is made).
/// </summary>
public static class MixedPrecision
{
    [ThreadStatic]
    private static Action<Conv2d, Tensor>? t_observer;

    /// <summary>
    /// Until the result is disposed, every convolution <see cref="Conv"/> runs on this thread is passed to
    /// <paramref name="observer"/> with its input, before it runs: how the bench finds the model's convolutions
    /// at the shapes they have in the model.
    /// </summary>
    public static IDisposable ObserveConvolutions(Action<Conv2d, Tensor> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var previous = t_observer;
        t_observer = observer;
        return new Observation(previous);
    }

    private sealed class Observation(Action<Conv2d, Tensor>? previous) : IDisposable
    {
        public void Dispose() => t_observer = previous;
    }

    /// <summary><paramref name="conv"/> applied to <paramref name="input"/> in the input's dtype.</summary>
    public static Tensor Conv(Conv2d conv, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(input);
        t_observer?.Invoke(conv, input);
        var weight = conv.weight;
        if (input.dtype == weight.dtype) return conv.forward(input);
        if (conv.padding is not { } padding || conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException("MixedPrecision.Conv supports convolutions with explicit zero padding");
        using var castWeight = weight.to_type(input.dtype);
        using var castBias = conv.bias?.to_type(input.dtype);
        return nn.functional.conv2d(input, castWeight, castBias, conv.stride, padding, conv.dilation, conv.groups);
    }
}
