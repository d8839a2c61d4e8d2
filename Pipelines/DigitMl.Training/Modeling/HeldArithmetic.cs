using TorchSharp;
using static TorchSharp.torch;

namespace DigitMl.Modeling;

/// <summary>
/// Tensor addition with a held alpha. TorchSharp's <c>a + b</c> (and <c>a.add(b)</c>, <c>a + 1.0</c>) passes a
/// default <c>alpha = 1</c> made on the fly from an int, a native temporary that nothing references while
/// libtorch reads it (docs/training.md, "Native objects"). Subtraction, multiplication and division by a tensor or
/// by a held <see cref="Scalar"/> make no such temporary and need no wrapper.
/// </summary>
public static class HeldArithmetic
{
    /// <summary><c>a + b</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary><c>a + s</c> for a held scalar <paramref name="s"/>.</summary>
    public static Tensor Plus(this Tensor a, Scalar s) => a.add(s, Scalars.One);

    /// <summary><c>s - a</c> for a held scalar <paramref name="s"/>.</summary>
    public static Tensor SubtractedFrom(this Tensor a, Scalar s) => a.neg().add(s, Scalars.One);
}
