namespace DigitMl.Experiments.Sweeps;

/// <summary>A trial that ran but must not count (NaN loss, no usable checkpoint, ...); the message is the recorded reason.</summary>
public sealed class TrialFailedException : Exception
{
    public TrialFailedException()
    {
    }

    public TrialFailedException(string message) : base(message)
    {
    }

    public TrialFailedException(string message, Exception inner) : base(message, inner)
    {
    }
}
