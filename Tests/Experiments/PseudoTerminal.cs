using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace DigitMl.Tests.Experiments;

/// <summary>
/// Runs the real CLI as a user's terminal does: under a pseudo-terminal (util-linux `script`), with an
/// ANSI-capable TERM, so Spectre.Console sees an interactive console and draws its live displays. Redirected
/// output (what every other CLI test uses) takes the plain-line path and cannot show a display fault.
/// </summary>
internal static partial class PseudoTerminal
{
    public sealed record Run(int ExitCode, string Raw)
    {
        /// <summary>The output without ANSI control sequences and carriage returns: the text a user reads.</summary>
        public string Text => AnsiSequence().Replace(Raw, "").Replace("\r", "", StringComparison.Ordinal);

        /// <summary>Whether the output holds cursor movements and colours (a live display drew).</summary>
        public bool HasAnsi => Raw.Contains('\u001b', StringComparison.Ordinal);
    }

    /// <summary>`dotnet DigitMl.Experiments.dll ARGS` in <paramref name="workingDirectory"/>, inside a pseudo-terminal.</summary>
    public static Run RunCli(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "DigitMl.Experiments.dll");
        string command = string.Join(' ', new[] { "dotnet", dll }.Concat(args).Select(Quote));
        var start = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // -q: no start/done lines, -e: the child's exit code, -c: the command; the typescript itself is discarded
        foreach (var arg in new[] { "-qec", command, "/dev/null" }) start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("CI");
        start.Environment.Remove("NO_COLOR");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not finish in {timeout.TotalSeconds:0} s; output so far:\n{output.Result}");
        }

        process.WaitForExit();
        return new Run(process.ExitCode, output.Result + error.Result);
    }

    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"\u001b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>])")]
    private static partial Regex AnsiSequence();
}
