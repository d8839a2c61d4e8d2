using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace DigitMl.Evaluation;

/// <summary>
/// The reference's evaluation figures as PNG: PR_curve.png, F1_curve.png, P_curve.png, R_curve.png,
/// confusion_matrix.png and confusion_matrix_normalized.png.
/// </summary>
public static class EvaluationPlots
{
    public static readonly string[] FileNames =
        ["PR_curve.png", "F1_curve.png", "P_curve.png", "R_curve.png", "confusion_matrix.png", "confusion_matrix_normalized.png"];

    /// <summary>
    /// Writes the six metric figures into <paramref name="plotsDir"/> (created if needed), plus val_predictions.png when
    /// <paramref name="samples"/> and <paramref name="predictions"/> are given and results.png when
    /// <paramref name="resultsCsv"/> exists. Returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(
        DetectionMetrics metrics,
        string plotsDir,
        IReadOnlyList<Data.YoloSample>? samples = null,
        IReadOnlyList<IReadOnlyList<Data.Detection>>? predictions = null,
        string? resultsCsv = null)
    {
        var written = WriteMetricFigures(metrics, plotsDir).ToList();
        if (samples is { Count: > 0 } && predictions is not null)
        {
            var grid = Path.Combine(plotsDir, "val_predictions.png");
            PredictionGridPlot.Write(samples, predictions, metrics.Names, grid);
            written.Add(grid);
        }
        if (resultsCsv is not null && File.Exists(resultsCsv))
        {
            var curves = Path.Combine(plotsDir, "results.png");
            TrainingCurvesPlot.Write(resultsCsv, curves);
            written.Add(curves);
        }
        return written;
    }

    /// <summary>Writes the six metric figures (<see cref="FileNames"/>) into <paramref name="plotsDir"/>; returns their paths.</summary>
    public static IReadOnlyList<string> WriteMetricFigures(DetectionMetrics metrics, string plotsDir)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Directory.CreateDirectory(plotsDir);
        var paths = FileNames.Select(f => Path.Combine(plotsDir, f)).ToArray();
        PlotRendering.SavePng(PrecisionRecall(metrics), paths[0]);
        PlotRendering.SavePng(VersusConfidence(metrics, metrics.Curves.F1, "F1", "F1-Confidence Curve", smoothMean: true), paths[1]);
        PlotRendering.SavePng(VersusConfidence(metrics, metrics.Curves.Precision, "Precision", "Precision-Confidence Curve", smoothMean: false), paths[2]);
        PlotRendering.SavePng(VersusConfidence(metrics, metrics.Curves.Recall, "Recall", "Recall-Confidence Curve", smoothMean: false), paths[3]);
        PlotRendering.SavePng(Confusion(metrics.ConfusionMatrix, normalize: false), paths[4], 900, 800);
        PlotRendering.SavePng(Confusion(metrics.ConfusionMatrix, normalize: true), paths[5], 900, 800);
        return paths;
    }

    /// <summary>Precision against recall at IoU 0.5, one line per class (AP50 in the legend) and the all-class mean.</summary>
    public static PlotModel PrecisionRecall(DetectionMetrics metrics)
    {
        var model = PlotRendering.NewModel("Precision-Recall Curve");
        PlotRendering.AddUnitAxes(model, "Recall", "Precision");
        var curves = metrics.Curves;
        var withPredictions = new List<double[]>();
        for (int c = 0; c < metrics.PerClass.Count; c++)
        {
            var row = metrics.PerClass[c];
            model.Series.Add(Line(curves.RecallAxis, curves.PrecisionAtRecall[c], $"{row.Name} {row.Ap50:0.000}", PlotRendering.ColorOf(row.ClassId), 1));
            if (curves.HasPredictions[c]) withPredictions.Add(curves.PrecisionAtRecall[c]);
        }
        var mean = MetricCurves.Mean(withPredictions, curves.RecallAxis.Count);
        model.Series.Add(Line(curves.RecallAxis, mean, $"all classes {metrics.Map50:0.000} mAP@0.5", OxyColors.Navy, 3));
        PlotRendering.AddLegendOutside(model);
        return model;
    }

    /// <summary>A metric against confidence, one line per class and the all-class mean (labelled with its maximum).</summary>
    public static PlotModel VersusConfidence(DetectionMetrics metrics, IReadOnlyList<double[]> curves, string metricName, string title, bool smoothMean)
    {
        var model = PlotRendering.NewModel(title);
        PlotRendering.AddUnitAxes(model, "Confidence", metricName);
        var x = metrics.Curves.Confidence;
        for (int c = 0; c < metrics.PerClass.Count; c++)
            model.Series.Add(Line(x, curves[c], metrics.PerClass[c].Name, PlotRendering.ColorOf(metrics.PerClass[c].ClassId), 1));
        var mean = MetricCurves.Mean(curves, x.Count);
        if (smoothMean) mean = DetectionEvaluator.Smooth(mean, 0.05);
        int best = DetectionEvaluator.ArgMax(mean);
        model.Series.Add(Line(x, mean, string.Create(CultureInfo.InvariantCulture, $"all classes {mean[best]:0.00} at {x[best]:0.000}"), OxyColors.Navy, 3));
        PlotRendering.AddLegendOutside(model);
        return model;
    }

    /// <summary>Heat map of the confusion matrix: x = true class, y = predicted class, background last; empty cells left blank.</summary>
    public static PlotModel Confusion(ConfusionMatrix matrix, bool normalize)
    {
        int n = matrix.ClassCount + 1;
        var labels = matrix.Names.Append("background").ToArray();
        var counts = matrix.Counts;
        var normalized = matrix.Normalized();
        var data = new double[n, n];
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++) data[t, p] = normalize ? normalized[p, t] : counts[p, t];

        var model = PlotRendering.NewModel(normalize ? "Confusion Matrix Normalized" : "Confusion Matrix");
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = "True", ItemsSource = labels, GapWidth = 0, IsZoomEnabled = false });
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, Title = "Predicted", ItemsSource = labels, GapWidth = 0, StartPosition = 1, EndPosition = 0, IsZoomEnabled = false });
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right,
            Palette = OxyPalette.Interpolate(200, OxyColor.FromRgb(247, 251, 255), OxyColor.FromRgb(107, 174, 214), OxyColor.FromRgb(8, 48, 107)),
            Minimum = 0,
            Maximum = Math.Max(normalize ? 1 : MaxOf(data), 1e-9),
        });
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0, X1 = n - 1, Y0 = 0, Y1 = n - 1,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            Interpolate = false,
            Data = data,
        });
        double max = Math.Max(MaxOf(data), 1e-9);
        for (int t = 0; t < n; t++)
        {
            for (int p = 0; p < n; p++)
            {
                double v = data[t, p];
                if (normalize ? v < 0.005 : v == 0) continue;
                model.Annotations.Add(new TextAnnotation
                {
                    TextPosition = new DataPoint(t, p),
                    Text = normalize ? v.ToString("0.00", CultureInfo.InvariantCulture) : v.ToString("0", CultureInfo.InvariantCulture),
                    TextHorizontalAlignment = HorizontalAlignment.Center,
                    TextVerticalAlignment = VerticalAlignment.Middle,
                    Stroke = OxyColors.Transparent,
                    Background = OxyColors.Transparent,
                    FontSize = n > 12 ? 9 : 12,
                    TextColor = v / max > 0.5 ? OxyColors.White : OxyColors.Black,
                });
            }
        }
        return model;
    }

    private static LineSeries Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string title, OxyColor color, double thickness)
    {
        var series = new LineSeries { Title = title, Color = color, StrokeThickness = thickness };
        // 1000 points per curve are more than a 1000 px wide figure shows: every other point is enough
        for (int i = 0; i < x.Count; i += (i == x.Count - 2 ? 1 : 2)) series.Points.Add(new DataPoint(x[i], y[i]));
        return series;
    }

    private static double MaxOf(double[,] data)
    {
        double max = 0;
        foreach (var v in data) max = Math.Max(max, v);
        return max;
    }
}
