using Spectre.Console.Cli;

namespace DigitMl.Experiments.Cli;

/// <summary>Turns any failure into one line on stderr and a non-zero exit code; never a stack trace.</summary>
public static class ErrorReporter
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static int Report(Exception exception)
    {
        var root = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : exception;
        switch (root)
        {
            case CommandAppException:
                Console.Error.WriteLine($"error: {OneLine(root.Message)} (see --help)");
                return UsageError;
            case OperationCanceledException:
                Console.Error.WriteLine("cancelled");
                return 130;
            default:
                Console.Error.WriteLine($"error: {OneLine(root.Message)}");
                if (Environment.GetEnvironmentVariable("DIGITML_DEBUG") == "1")
                    Console.Error.WriteLine(root);
                return Failure;
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
