using DigitMl.Experiments.Artifacts;
using Microsoft.Data.Analysis;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>The comparison DataFrame as a console table, numbers right-aligned, failed rows dimmed.</summary>
public static class ComparisonTable
{
    public static void Write(IAnsiConsole console, ArtifactComparison comparison, string title)
    {
        var frame = comparison.Frame;
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = Math.Max(console.Profile.Width, 220); // logs: no wrapping
        var table = new Table().Title(Markup.Escape($"{title}: {frame.Rows.Count} versions"));
        foreach (var column in frame.Columns)
            table.AddColumn(new TableColumn(Markup.Escape(column.Name)) { Alignment = column is StringDataFrameColumn ? Justify.Left : Justify.Right });
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            bool ok = comparison.Versions[(int)row].Status == TrialStatus.Succeeded;
            table.AddRow(frame.Columns.Select(c =>
            {
                var text = Markup.Escape(ComparisonFormatter.Cell(c, row));
                return ok ? text : $"[grey]{text}[/]";
            }).ToArray());
        }

        console.Write(table);
        if (comparison.DifferingHyperparameters.Count == 0)
            console.MarkupLine("[grey]all versions share the same hyperparameters[/]");
    }
}
