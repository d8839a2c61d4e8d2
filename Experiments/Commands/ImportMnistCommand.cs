using DigitMl.Experiments.Cli;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`import-mnist`: planned (issue #2).</summary>
public sealed class ImportMnistCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        NotImplementedYet.Report("import-mnist", "issue #2");
}
