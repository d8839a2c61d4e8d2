using DigitMl.Experiments.Cli;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`export`: planned (issue #6).</summary>
public sealed class ExportCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        NotImplementedYet.Report("export", "issue #6");
}
