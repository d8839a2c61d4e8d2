using DigitMl.Experiments.Cli;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`sweep`: planned (issue #7).</summary>
public sealed class SweepCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        NotImplementedYet.Report("sweep", "issue #7");
}
