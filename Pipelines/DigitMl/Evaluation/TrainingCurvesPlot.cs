using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;
using SkiaSharp;

namespace DigitMl.Evaluation;

/// <summary>results.png: one small plot per numeric column of results.csv against epoch, with a smoothed trend.</summary>
public static class TrainingCurvesPlot
{
    private const int CellWidth = 400, CellHeight = 300, Columns = 5;

    /// <summary>Reads <paramref name="resultsCsv"/> (header row; an <c>epoch</c> column or the row number) and writes the grid PNG.</summary>
    public static void Write(string resultsCsv, string pngPath)
    {
        var (headers, rows) = ReadCsv(resultsCsv);
        int epochColumn = headers.FindIndex(h => h.Equals("epoch", StringComparison.OrdinalIgnoreCase));
        var plotted = Enumerable.Range(0, headers.Count)
            .Where(c => c != epochColumn && !IsBookkeeping(headers[c]) && rows.Any(r => double.IsFinite(r[c])))
            .ToList();
        if (plotted.Count == 0) throw new InvalidDataException($"{resultsCsv}: no numeric columns to plot");

        int gridRows = (plotted.Count + Columns - 1) / Columns;
        int gridColumns = Math.Min(Columns, plotted.Count);
        using var bitmap = new SKBitmap(gridColumns * CellWidth, gridRows * CellHeight);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int k = 0; k < plotted.Count; k++)
            {
                int c = plotted[k];
                var x = rows.Select((r, i) => epochColumn >= 0 ? r[epochColumn] : i + 1).ToArray();
                var y = rows.Select(r => r[c]).ToArray();
                using var cell = SKBitmap.Decode(PlotRendering.EncodePng(CellModel(headers[c], x, y), CellWidth, CellHeight));
                canvas.DrawBitmap(cell, (k % Columns) * CellWidth, (k / Columns) * CellHeight);
            }
        }
        PlotRendering.SaveBitmap(bitmap, pngPath);
    }

    private static bool IsBookkeeping(string header) =>
        header.StartsWith("lr", StringComparison.OrdinalIgnoreCase) || header.Equals("time", StringComparison.OrdinalIgnoreCase);

    private static PlotModel CellModel(string title, double[] x, double[] y)
    {
        var model = PlotRendering.NewModel(title);
        model.TitleFontSize = 13;
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, MajorGridlineStyle = LineStyle.Dot, FontSize = 10 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, MajorGridlineStyle = LineStyle.Dot, FontSize = 10 });
        var raw = new LineSeries { Color = PlotRendering.Palette[0], MarkerType = MarkerType.Circle, MarkerSize = 2.5, MarkerFill = PlotRendering.Palette[0], StrokeThickness = 1.5 };
        var smooth = new LineSeries { Color = PlotRendering.Palette[1], LineStyle = LineStyle.Dot, StrokeThickness = 2 };
        var trend = Trend(y);
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(y[i])) continue;
            raw.Points.Add(new DataPoint(x[i], y[i]));
            smooth.Points.Add(new DataPoint(x[i], trend[i]));
        }
        model.Series.Add(raw);
        if (x.Length >= 5) model.Series.Add(smooth);
        return model;
    }

    // centred moving average over up to 7 finite neighbours (the reference uses a Gaussian filter: same purpose)
    private static double[] Trend(double[] y)
    {
        var result = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            var window = Enumerable.Range(Math.Max(0, i - 3), Math.Min(y.Length, i + 4) - Math.Max(0, i - 3)).Select(k => y[k]).Where(double.IsFinite).ToList();
            result[i] = window.Count == 0 ? double.NaN : window.Average();
        }
        return result;
    }

    private static (List<string> Headers, List<double[]> Rows) ReadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"results file not found: {path}", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path}: empty file");
        var headers = lines[0].Split(',').Select(h => h.Trim()).ToList();
        var rows = new List<double[]>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != headers.Count)
                throw new InvalidDataException($"{path}:{i + 1}: {cells.Length} values, the header has {headers.Count}");
            rows.Add(cells.Select(v => double.TryParse(v.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN).ToArray());
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no rows under the header");
        return (headers, rows);
    }
}
