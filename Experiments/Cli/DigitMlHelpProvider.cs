using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace DigitMl.Experiments.Cli;

/// <summary>Spectre's help, plus the table of every setting under the commands that take them (train, sweep).</summary>
public sealed class DigitMlHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    private static readonly HashSet<string> CommandsWithSettings = new(StringComparer.Ordinal) { "train", "sweep" };

    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        foreach (var renderable in base.GetFooter(model, command)) yield return renderable;
        if (command is null || !CommandsWithSettings.Contains(command.Name)) yield break;
        yield return new Markup(command.Name == "train"
            ? "\n[yellow]SETTINGS:[/] any of these with [bold]--set KEY=VALUE[/] (repeatable); the options above are shortcuts for the common ones\n"
            : "\n[yellow]SETTINGS:[/] the keys an experiment file's [bold]fixed:[/] and [bold]search:[/] sections take\n");
        yield return SettingsTable.Render();
    }
}
