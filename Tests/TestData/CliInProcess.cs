using DigitMl.Experiments.Cli;

namespace DigitMl.Tests.TestData;

/// <summary>Runs the CLI in this process with its standard output and error captured (for commands that print and exit).</summary>
internal static class CliInProcess
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        // not disposed: the CLI's console may keep the writer it first saw, and a later run in this process would
        // then write to a closed one
        var output = new StringWriter();
        var error = new StringWriter();
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
