using DigitMl.Experiments.Definitions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DigitMl.Experiments.Cli;

/// <summary>
/// Every setting a trial takes (key, default, allowed values, help), rendered from the one settings table
/// (<see cref="HyperParameters"/>, which lifts the trainer's <c>TrainerSettings</c>): what <c>train --set</c> and
/// the <c>fixed:</c>/<c>search:</c> sections of an experiment file accept.
/// </summary>
public static class SettingsTable
{
    public static IRenderable Render()
    {
        var defaults = new TrialSettings();
        var table = new Table().Border(TableBorder.Simple).AddColumn("key").AddColumn("default").AddColumn("allowed").AddColumn("what it does");
        foreach (var setting in HyperParameters.All)
        {
            table.AddRow(
                Markup.Escape(setting.Key),
                Markup.Escape(setting.Format(setting.Get(defaults))),
                Markup.Escape(setting.Range),
                Markup.Escape(setting.Help));
        }
        return table;
    }

    /// <summary>One line per setting, for plain text (tests, docs).</summary>
    public static IReadOnlyList<string> Lines()
    {
        var defaults = new TrialSettings();
        return HyperParameters.All.Select(s => $"{s.Key} = {s.Format(s.Get(defaults))}  ({s.Range}): {s.Help}").ToList();
    }
}
