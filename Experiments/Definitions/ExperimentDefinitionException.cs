namespace DigitMl.Experiments.Definitions;

/// <summary>A definition file that cannot be used; the message starts with "file:line:".</summary>
public sealed class ExperimentDefinitionException : Exception
{
    public ExperimentDefinitionException()
    {
    }

    public ExperimentDefinitionException(string message) : base(message)
    {
    }

    public ExperimentDefinitionException(string message, Exception inner) : base(message, inner)
    {
    }
}
