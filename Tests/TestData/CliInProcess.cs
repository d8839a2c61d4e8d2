using DigitMl.Experiments.Cli;

namespace DigitMl.Tests.TestData;

/// <summary>Runs the CLI in this process with its standard output and error captured (for commands that print and exit).</summary>
internal static class CliInProcess
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var (previousOut, previousError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = DigitMlApp.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
