using DigitMl.Experiments.Cli;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`data`: planned (issue #2).</summary>
public sealed class DataCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        NotImplementedYet.Report("data", "issue #2");
}
