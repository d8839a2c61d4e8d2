using DigitMl.Data;

namespace DigitMl.Experiments.Serve;

/// <summary>
/// Reads detections as a person reads a page: digits grouped into rows, rows top to bottom, each row left to right,
/// a space where a row has a gap wider than <see cref="GapFactor"/> digit heights. A date written on one line with
/// gaps reads "2024 07 31"; the same groups written on three lines read "2024\n07\n31".
/// </summary>
/// <remarks>
/// Rows are chained left to right: each digit (taken in order of its centre's x) joins the row whose right-most digit
/// so far has its centre within <see cref="RowTolerance"/> of the taller box's height, the closest such row, else it
/// starts a new row. Comparing with the nearest neighbour rather than a row's average keeps slanted lines together.
/// </remarks>
public static class ReadingOrder
{
    /// <summary>Two neighbours are on one row when their centres differ vertically by less than this fraction of the taller box.</summary>
    public const float RowTolerance = 0.5f;

    /// <summary>A gap wider than this fraction of the row's median digit height becomes a space.</summary>
    public const float GapFactor = 0.6f;

    /// <summary>Each row's text, top to bottom.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<Detection> detections) =>
        Rows(detections).Select(row => RowText(detections, row)).ToList();

    /// <summary>The rows joined by line breaks ("" when nothing was found).</summary>
    public static string Text(IReadOnlyList<Detection> detections) => string.Join('\n', Lines(detections));

    /// <summary>Indices into <paramref name="detections"/>: rows top to bottom, each left to right.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Rows(IReadOnlyList<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var byX = Enumerable.Range(0, detections.Count)
            .OrderBy(i => detections[i].Box.CenterX).ThenBy(i => detections[i].Box.CenterY).ThenBy(i => i);
        var rows = new List<List<int>>();
        foreach (int i in byX)
        {
            var box = detections[i].Box;
            List<int>? best = null;
            float bestDistance = float.PositiveInfinity;
            foreach (var row in rows)
            {
                var last = detections[row[^1]].Box;
                float distance = Math.Abs(box.CenterY - last.CenterY);
                if (distance < RowTolerance * Math.Max(box.Height, last.Height) && distance < bestDistance)
                    (best, bestDistance) = (row, distance);
            }

            if (best is null) rows.Add([i]);
            else best.Add(i);
        }

        return rows.OrderBy(row => row.Average(i => detections[i].Box.CenterY)).Cast<IReadOnlyList<int>>().ToList();
    }

    private static string RowText(IReadOnlyList<Detection> detections, IReadOnlyList<int> row)
    {
        var heights = row.Select(i => detections[i].Box.Height).Order().ToList();
        float median = heights[heights.Count / 2];
        var text = new System.Text.StringBuilder();
        for (int k = 0; k < row.Count; k++)
        {
            var d = detections[row[k]];
            if (k > 0 && d.Box.X0 - detections[row[k - 1]].Box.X1 > GapFactor * median) text.Append(' ');
            text.Append(d.Label);
        }

        return text.ToString();
    }
}
