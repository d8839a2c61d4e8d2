using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace DigitMl.Experiments.Artifacts;

/// <summary>
/// A single self-contained HTML file: the leaderboard table and, per version, its PR curve and confusion
/// matrix embedded as base64 PNG (opens in any browser, can be mailed around).
/// </summary>
public static class HtmlReport
{
    private static readonly string[] Figures = ["PR_curve.png", "confusion_matrix.png"];

    public static string Render(ArtifactComparison comparison, string title)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Encode(title)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;font-size:13px}" +
                        "td.n{text-align:right;font-variant-numeric:tabular-nums}tr:first-child td{font-weight:bold}img{max-width:480px;margin:4px;border:1px solid #eee}" +
                        ".failed{color:#a00}.pruned{color:#777}</style></head><body>");
        html.AppendLine($"<h1>{Encode(title)}</h1>");
        html.AppendLine($"<p>Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Metrics on the validation split unless prefixed test_; fitness = 0.1·mAP50 + 0.9·mAP50-95.</p>");
        AppendTable(html, comparison.Frame);
        foreach (var version in comparison.Versions)
        {
            html.AppendLine($"<h2 id=\"{Encode(version.Version)}\">{Encode(version.Version)} <small>{Encode(version.Trial)} {Encode(version.Description)}</small></h2>");
            if (version.Reason is { Length: > 0 } reason) html.AppendLine($"<p class=\"{Encode(TrialOutcome.StatusText(version.Status))}\">{Encode(reason)}</p>");
            foreach (var figure in Figures)
            {
                var path = Path.Combine(version.Directory, "plots", figure);
                if (File.Exists(path))
                    html.AppendLine($"<img alt=\"{Encode(version.Version + " " + figure)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(path))}\">");
            }
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, DataFrame frame)
    {
        html.Append("<table><thead><tr>");
        foreach (var column in frame.Columns) html.Append($"<th>{Encode(column.Name)}</th>");
        html.AppendLine("</tr></thead><tbody>");
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            html.Append("<tr>");
            foreach (var column in frame.Columns)
            {
                var cell = Encode(ComparisonFormatter.Cell(column, row));
                html.Append(column is StringDataFrameColumn ? $"<td>{cell}</td>" : $"<td class=\"n\">{cell}</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
