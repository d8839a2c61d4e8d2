namespace DigitMl.Experiments.Cli;

/// <summary>What a command that is planned but not built yet says: one line on stderr, exit code 3.</summary>
public static class NotImplementedYet
{
    public const int ExitCode = 3;

    public static int Report(string command, string issue)
    {
        Console.Error.WriteLine($"error: '{command}' is not implemented yet ({issue}).");
        return ExitCode;
    }
}
