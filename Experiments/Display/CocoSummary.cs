using System.Globalization;
using DigitMl.Evaluation.Coco;
using Spectre.Console;

namespace DigitMl.Experiments.Display;

/// <summary>
/// The COCO figures on the console: the twelve lines pycocotools' <c>summarize()</c> prints (so they read like a
/// notebook's output), then per class the AP, AP50, AP75 and AR100 that torchmetrics reports per class.
/// </summary>
public static class CocoSummary
{
    public static void Write(IAnsiConsole console, CocoMetrics coco, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(coco);
        console.WriteLine(title is null ? "COCO metrics (pycocotools definition):" : $"COCO metrics (pycocotools definition), {title}:");
        foreach (var (_, description, value) in coco.Figures.Lines)
            console.WriteLine($" {description} = {F(value)}");

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Class");
        foreach (var name in new[] { "Instances", "AP", "AP50", "AP75", "AR100" })
            table.AddColumn(new TableColumn(name).RightAligned());
        foreach (var c in coco.PerClass.Where(c => c.Instances > 0))
        {
            table.AddRow(Markup.Escape(c.Name), c.Instances.ToString(CultureInfo.InvariantCulture),
                F(c.Figures.Map), F(c.Figures.Map50), F(c.Figures.Map75), F(c.Figures.Mar100));
        }
        console.Write(table);
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
