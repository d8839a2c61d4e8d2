using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;

namespace DigitMl.Experiments.Artifacts;

/// <summary>Text renderings of a comparison's DataFrame: CSV and a Markdown table (the console table is in Display).</summary>
public static class ComparisonFormatter
{
    public static string Cell(DataFrameColumn column, long row)
    {
        var value = column[row];
        return value switch
        {
            null => "",
            double d => d.ToString(column.Name == "trial_s" ? "0.0" : "0.0000", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    public static string ToCsv(DataFrame frame)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', frame.Columns.Select(c => Leaderboard.Escape(c.Name))));
        for (long row = 0; row < frame.Rows.Count; row++)
            csv.AppendLine(string.Join(',', frame.Columns.Select(c => Leaderboard.Escape(Cell(c, row)))));
        return csv.ToString();
    }

    public static string ToMarkdown(DataFrame frame)
    {
        static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
        var md = new StringBuilder();
        md.AppendLine("| " + string.Join(" | ", frame.Columns.Select(c => Md(c.Name))) + " |");
        md.AppendLine("|" + string.Join("|", frame.Columns.Select(c => c is StringDataFrameColumn ? "---" : "---:")) + "|");
        for (long row = 0; row < frame.Rows.Count; row++)
            md.AppendLine("| " + string.Join(" | ", frame.Columns.Select(c => Md(Cell(c, row)))) + " |");
        return md.ToString();
    }
}
