using DigitMl.Experiments.Cli;
using Spectre.Console.Cli;

namespace DigitMl.Experiments.Commands;

/// <summary>`train`: planned (issue #3).</summary>
public sealed class TrainCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        NotImplementedYet.Report("train", "issue #3");
}
