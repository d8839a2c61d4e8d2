using TorchSharp;

namespace DigitMl.Modeling;

/// <summary>
/// Native scalars that live as long as the process, for the constants of tensor arithmetic. Passing one of these
/// (or a scalar held by a <c>using</c> until the call returns) instead of a number keeps the native object alive
/// while libtorch reads it; an implicit number-to-Scalar conversion makes a temporary that the garbage collector
/// may free in the middle of the call. The rule and why: docs/training.md, "Native objects".
/// </summary>
public static class Scalars
{
    public static Scalar Zero { get; } = 0.ToScalar();

    public static Scalar One { get; } = 1.ToScalar();

    public static Scalar Two { get; } = 2.ToScalar();

    public static Scalar MinusOne { get; } = (-1).ToScalar();

    public static Scalar Half { get; } = 0.5.ToScalar();
}
